//! Participant search on a fixed data set built here (not the demo), snapshotted: the same
//! queries must keep giving the same results whatever index serves them (issue #13).

use crate::administration::{STRONG, anon_post};
use crate::projects::{en_vag_in, json_of};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use stegvis_app::users::UserInput;

const ADMIN_EMAIL: &str = "admin@sokby.example";

/// A valid personnummer for a day in 1980 (`MMDD`) and a serial: the Luhn check digit added.
fn personnummer(mmdd: &str, serial: u32) -> String {
    let body = format!("80{mmdd}{serial:03}");
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap() * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The first organisation's participants: common and rare fragments, å/ä/ö, accents, literal
/// `%` and `_`, a decomposed å (as some keyboards send it) and repeated whitespace.
const NAMES: &[(&str, &str)] = &[
    ("Åsa", "Öberg"),
    ("Anna", "Berg"),
    ("Erik", "Bergström"),
    ("Lisa", "Lindberg"),
    ("Johan", "Sandberg"),
    ("Maria", "Åberg"),
    ("Karl", "Bergman"),
    ("Sofia", "Berggren"),
    ("Oskar", "Nyberg"),
    ("Emma", "Holmberg"),
    ("Nils", "Engberg"),
    ("Ida", "Sundberg"),
    ("Per", "Åkesson"),
    ("Eva", "Öst"),
    ("Ali", "Hassan"),
    ("Fatima", "Al-Sayed"),
    ("Renée", "Müller"),
    ("José", "Núñez"),
    ("Søren", "Østergaard"),
    ("Zoë", "Zetterqvist"),
    ("Hundra", "Procent%son"),
    ("Li_sa", "Under_streck"),
    ("Max", "Axelsson"),
    ("Alex", "Wahlberg"),
    ("Elin", "Ek"),
    ("Lars", "Ekholm"),
    ("A\u{30a}sa", "Lindqvist"),
    ("Anna  Maria", "Berg   Ek"),
    ("ÅSA", "ÖBERGSSON"),
    ("Bo", "Å"),
];

struct Fixture {
    t: TestApp,
    coach: String,
    other_coach: String,
    partner: String,
    participant: String,
}

async fn fixture() -> Fixture {
    let t = spawn_empty_app().await;
    let link = t.app.first_start_link().await.unwrap().expect("setup link");
    let setup = json!({
        "token": link.path.trim_start_matches("/setup/"),
        "organisation_name": "Sökby arbetsmarknad",
        "kind": "municipality_unit",
        "municipality_code": "1293",
        "name": "Sökby Admin",
        "email": ADMIN_EMAIL,
        "password": STRONG,
        "password_again": STRONG,
    });
    json_of(
        anon_post(&t, "/api/v1/setup", &setup).await,
        StatusCode::CREATED,
    )
    .await;
    let admin = t.token(ADMIN_EMAIL).await;
    let mut partner_org = Value::Null;
    for (name, kind) in [
        ("Grannby arbetsmarknad", "municipality_unit"),
        ("Sökby partner", "ngo"),
    ] {
        partner_org = json_of(
            t.post(
                &admin,
                "/api/v1/organisations",
                &json!({"name": name, "kind": kind}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await["id"]
            .clone();
    }
    let user = |email: &str, org: &str, role: &str| UserInput {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        org_id: org.into(),
        role: role.into(),
        password: STRONG.into(),
    };
    for (email, org, role) in [
        ("pm@sokby.example", "Sökby arbetsmarknad", "project_manager"),
        ("coach@sokby.example", "Sökby arbetsmarknad", "coach"),
        (
            "pm@grannby.example",
            "Grannby arbetsmarknad",
            "project_manager",
        ),
        ("coach@grannby.example", "Grannby arbetsmarknad", "coach"),
        ("partner@sokby.example", "Sökby partner", "partner_staff"),
    ] {
        t.app.add_user(&user(email, org, role), None).await.unwrap();
    }
    let mut project = en_vag_in();
    project.as_object_mut().unwrap().remove("target_group");
    let enrol = async |pm: &str, coach: &str, names: &[(&str, &str)], first: u32| {
        let mut project = project.clone();
        // Project numbers are unique across the installation.
        project["number"] = json!(format!("2019/{:05}", 500 + first));
        let pm = t.token(pm).await;
        let coach = t.token(coach).await;
        let project = json_of(
            t.post(&pm, "/api/v1/projects", &project).await,
            StatusCode::CREATED,
        )
        .await["id"]
            .clone();
        let mut ids = Vec::new();
        for (i, (given, family)) in names.iter().enumerate() {
            let n = first + i as u32;
            let mmdd = format!("{:02}{:02}", 1 + n / 28, 1 + n % 28);
            let identity = if n == 0 {
                "811218-9876".to_owned()
            } else {
                personnummer(&mmdd, 100 + n)
            };
            let created = json_of(
                t.post(
                    &coach,
                    "/api/v1/participants",
                    &json!({"identity_number": identity, "given_name": given,
                            "family_name": family, "gender": "woman", "project_id": project,
                            "enrolled_on": "2026-01-15"}),
                )
                .await,
                StatusCode::CREATED,
            )
            .await;
            ids.push(created["participant"]["id"].as_str().unwrap().to_owned());
        }
        (coach, ids)
    };
    let (coach, ids) = enrol("pm@sokby.example", "coach@sokby.example", NAMES, 0).await;
    let (other_coach, other_ids) = enrol(
        "pm@grannby.example",
        "coach@grannby.example",
        &[("Berit", "Bergqvist"), ("Zoë", "Zetterlund")],
        100,
    )
    .await;
    // Consents to the partner: details (listed), plan only (not listed), revoked (not listed),
    // and one from the other organisation (listed).
    let consent = async |coach: &str, pid: &str, kinds: Value| {
        json_of(
            t.post(
                coach,
                &format!("/api/v1/participants/{pid}/consents"),
                &json!({"recipient_org_id": partner_org, "kinds": kinds, "purpose": "Matchning",
                        "form": "digital"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    consent(&coach, &ids[1], json!(["participant", "plan"])).await; // Anna Berg
    consent(&coach, &ids[7], json!(["participant"])).await; // Sofia Berggren
    consent(&coach, &ids[0], json!(["participant"])).await; // Åsa Öberg
    consent(&coach, &ids[8], json!(["plan"])).await; // Oskar Nyberg
    let revoked = consent(&coach, &ids[9], json!(["participant"])).await; // Emma Holmberg
    json_of(
        t.post(
            &coach,
            &format!("/api/v1/consents/{revoked}/revoke"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    consent(&other_coach, &other_ids[0], json!(["participant"])).await; // Berit Bergqvist
    // Anna Berg's own account.
    t.app
        .add_user(
            &user("anna@example.se", "Sökby arbetsmarknad", "participant"),
            Some(ids[1].parse().unwrap()),
        )
        .await
        .unwrap();
    Fixture {
        coach,
        other_coach,
        partner: t.token("partner@sokby.example").await,
        participant: t.token("anna@example.se").await,
        t,
    }
}

/// One search as the snapshot shows it: the total and the names in the order returned.
async fn search(t: &TestApp, token: &str, q: &str, limit: i64, offset: i64) -> Value {
    let page = json_of(
        t.http
            .get(format!("{}/api/v1/participants", t.base))
            .query(&[
                ("q", q.to_owned()),
                ("limit", limit.to_string()),
                ("offset", offset.to_string()),
            ])
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let names: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["given_name"].as_str().unwrap(),
                p["family_name"].as_str().unwrap()
            )
        })
        .collect();
    json!({"q": q, "limit": limit, "offset": offset, "total": page["total"], "names": names})
}

#[tokio::test]
async fn search_results_on_a_fixed_data_set() {
    let f = fixture().await;
    let t = &f.t;
    let mut results = Vec::new();
    for (who, token, queries) in [
        (
            "coach",
            &f.coach,
            vec![
                ("berg", 50, 0),
                ("BERG", 50, 0),
                ("berg", 3, 2),
                ("berg", 5, 100),
                ("zetter", 50, 0),
                ("qvist", 50, 0),
                ("x", 50, 0),
                ("å", 50, 0),
                ("ek", 50, 0),
                ("g e", 50, 0),
                ("%", 50, 0),
                ("_", 50, 0),
                ("t%s", 50, 0),
                ("i_s", 50, 0),
                ("Åsa öBERG", 50, 0),
                ("  åsa   ÖBERG ", 50, 0),
                ("åsa", 50, 0),
                ("muller", 50, 0),
                ("müller", 50, 0),
                ("renee", 50, 0),
                ("jose nunez", 50, 0),
                ("soren", 50, 0),
                ("søren", 50, 0),
                ("zoe", 50, 0),
                ("nobody", 50, 0),
                ("19811218-9876", 50, 0),
                ("811218-9876", 50, 0),
                ("19811218-9868", 50, 0),
                ("", 5, 3),
                ("", 200, 0),
            ],
        ),
        (
            "other organisation's coach",
            &f.other_coach,
            vec![("berg", 50, 0), ("zet", 50, 0), ("19811218-9876", 50, 0)],
        ),
        (
            "partner",
            &f.partner,
            vec![
                ("", 50, 0),
                ("berg", 50, 0),
                ("öberg", 50, 0),
                ("ny", 50, 0),
                ("berg", 1, 1),
            ],
        ),
        (
            "participant",
            &f.participant,
            vec![
                ("", 50, 0),
                ("berg", 50, 0),
                ("öberg", 50, 0),
                ("19811218-9876", 50, 0),
            ],
        ),
    ] {
        for (q, limit, offset) in queries {
            let mut r = search(t, token, q, limit, offset).await;
            r["as"] = json!(who);
            results.push(r);
        }
    }
    insta::assert_json_snapshot!("fixed_data_set", results);
}
