//! The reporting benchmark: a deterministic national-scale population (participants spread over
//! the demo's projects, with baselines, exits, placements, follow-ups and attendance), loaded in
//! bulk and written as CSV for DuckDB; then the full goal and indicator report for every
//! project, timed. Run by `stegvis bench report` (see `scripts/bench-report`).

use serde::Serialize;
use stegvis_app::{Actor, App, AppError, Result};
use stegvis_domain::follow_up::FollowUpKind;
use stegvis_domain::participant::IdentityMode;
use stegvis_domain::placement::{PlacementKind, PlacementStatus};
use stegvis_domain::{Answer, CodeError, ExitStatus, Gender, LabourStatus, Role};
use stegvis_store::activity::AttendanceRow;
use stegvis_store::batch::BatchRows;
use stegvis_store::enrolment::EnrolmentRow;
use stegvis_store::follow_up::FollowUpRow;
use stegvis_store::participant::ParticipantRow;
use stegvis_store::placement::PlacementRow;
use time::{Date, Duration};
use uuid::Uuid;

/// What one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchRun {
    pub backend: String,
    pub participants: u64,
    pub attendance_rows: u64,
    pub generate_seconds: f64,
    /// Building the report tallies from the loaded rows (what the application otherwise keeps
    /// up to date write by write).
    pub tally_seconds: f64,
    /// The full report for every project: the first run, and the best of the next two.
    pub report_cold_seconds: f64,
    pub report_warm_seconds: f64,
    /// Per project: (name, participants counted, employed on leaving, whole hours, each goal's
    /// achieved total).
    pub totals: Vec<BenchTotals>,
}

/// One project's totals: name, participants counted, employed on leaving, whole hours of
/// attendance, and each goal's achieved total.
pub type BenchTotals = (String, u64, u64, u64, Vec<u64>);

/// A small deterministic mix (splitmix64).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const EXIT_STATUSES: &[&str] = &[
    "work",
    "subsidised_work",
    "studies",
    "labour_market_programme",
    "job_seeking",
    "closer_to_labour_market",
    "sick_leave",
    "moved",
    "other",
];
const PLACEMENT_KINDS: &[&str] = &[
    "work_practice",
    "work_training",
    "work_trial",
    "subsidised_employment",
    "adapted_employment",
    "regular_employment",
    "supported_employment",
];
const ANSWERS: &[&str] = &[
    "born_abroad",
    "foreign_background",
    "disability",
    "homeless",
    "jobless_household",
    "dependent_children",
    "single_adult_with_children",
    "social_assistance",
    "sick_leave",
    "activity_compensation",
    "registered_at_employment_service",
];

/// A code of the bench's own tables as its domain value.
fn code<T>(parse: fn(&str) -> std::result::Result<T, CodeError>, value: &str) -> Result<T> {
    parse(value).map_err(|e| AppError::Internal(format!("bench: {value}: {e}")))
}

/// The CSV files DuckDB reads: the same rows, in plain text.
struct Csv {
    enrolments: csv::Writer<std::fs::File>,
    placements: csv::Writer<std::fs::File>,
    follow_ups: csv::Writer<std::fs::File>,
    attendance: csv::Writer<std::fs::File>,
}

fn writer(
    dir: &std::path::Path,
    name: &str,
    header: &[&str],
) -> Result<csv::Writer<std::fs::File>> {
    let io = |e: std::io::Error| AppError::Internal(format!("{name}: {e}"));
    let file = std::fs::File::create(dir.join(name)).map_err(io)?;
    let mut w = csv::Writer::from_writer(file);
    w.write_record(header)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(w)
}

fn csv_err(e: csv::Error) -> AppError {
    AppError::Internal(format!("csv: {e}"))
}

/// Generates `n` participants with `per_participant` attendance rows each into this (fresh,
/// demo-seeded) database, and the same rows as CSV into `csv_dir` when given. Each chunk is
/// one system job, audited per organisation it loads into.
pub async fn generate_data(
    app: &App,
    n: u64,
    per_participant: u64,
    csv_dir: Option<&std::path::Path>,
) -> Result<()> {
    let now = app.now();
    let (projects, activities, workplace) = {
        let mut tx = app.catalogue_read().await?;
        let projects = tx.projects().await?;
        let mut activities = Vec::new();
        for p in &projects {
            activities.push(
                tx.activities_of(p.id)
                    .await?
                    .iter()
                    .map(|a| a.id)
                    .collect::<Vec<_>>(),
            );
        }
        let employer = tx
            .organisation_by_name("Demo Trädgård AB")
            .await?
            .ok_or(AppError::NotFound)?;
        let workplace = tx
            .workplaces_of(employer.id)
            .await?
            .first()
            .map(|w| w.id)
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        (projects, activities, workplace)
    };
    if let Some(dir) = csv_dir {
        let mut w = writer(dir, "projects.csv", &["project_id", "name"])?;
        for p in &projects {
            w.write_record([p.id.to_string(), p.name.clone()])
                .map_err(csv_err)?;
        }
        w.flush().map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let mut csv = match csv_dir {
        Some(dir) => Some(Csv {
            enrolments: writer(dir, "enrolments.csv", &{
                let mut h = vec![
                    "enrolment_id",
                    "project_id",
                    "participant_id",
                    "gender",
                    "birth_date",
                    "enrolled_on",
                    "exited_on",
                    "exit_status",
                    "labour_status",
                    "long_term_unemployed",
                    "months_without_work",
                    "in_education",
                    "isced_level",
                ];
                h.extend(ANSWERS);
                h
            })?,
            placements: writer(
                dir,
                "placements.csv",
                &["participant_id", "kind", "status", "offered_on"],
            )?,
            follow_ups: writer(
                dir,
                "follow_ups.csv",
                &[
                    "enrolment_id",
                    "kind",
                    "done_on",
                    "job_searching",
                    "in_education",
                    "gained_qualification",
                    "employed",
                    "improved_situation",
                ],
            )?,
            attendance: writer(
                dir,
                "attendance.csv",
                &["participant_id", "project_id", "attended_on", "minutes"],
            )?,
        }),
        None => None,
    };
    const CHUNK: u64 = 20_000;
    let today = app.today();
    let mut start = 0;
    while start < n {
        let end = (start + CHUNK).min(n);
        let mut b = BatchRows::new();
        for i in start..end {
            let h = mix(i);
            let k = (i % projects.len() as u64) as usize;
            let project = &projects[k];
            let org = project.owner_org_id;
            let pid = Uuid::from_u128((1u128 << 120) | u128::from(i));
            let eid = Uuid::from_u128((2u128 << 120) | u128::from(i));
            let gender = match h % 20 {
                0 => "non_binary",
                x if x.is_multiple_of(2) => "woman",
                _ => "man",
            };
            let birth = Date::from_calendar_date(1958, time::Month::January, 1).unwrap_or(today)
                + Duration::days(((h >> 8) % 17_000) as i64);
            let span = (project.period_end - project.period_start)
                .whole_days()
                .clamp(1, 700);
            let enrolled = project.period_start + Duration::days(((h >> 16) % span as u64) as i64);
            let incomplete = (h >> 24).is_multiple_of(10);
            let status = ["unemployed", "inactive", "employed"][((h >> 28) % 3) as usize];
            let isced = ((h >> 32) % 9) as i32;
            let exited = (!(h >> 40).is_multiple_of(3))
                .then(|| enrolled + Duration::days(60 + ((h >> 42) % 340) as i64))
                .filter(|d| *d <= today);
            let exit_status = exited.map(|_| EXIT_STATUSES[((h >> 44) % 9) as usize]);
            let answer = |j: u64| {
                if (h >> (45 + j % 15)).is_multiple_of(7) {
                    "yes"
                } else {
                    "no"
                }
            };
            b.participant(&ParticipantRow {
                org_id: org,
                id: pid,
                identity_mode: IdentityMode::NoNumber,
                identity: None,
                birth_date: Some(birth),
                given_name: "Bench".into(),
                family_name: format!("P{i}"),
                search_name: format!("bench p{i}"),
                gender: code(Gender::from_code, gender)?,
                created_at: now,
                created_by: None,
                updated_at: now,
            });
            let ltu = (status == "unemployed").then(|| answer(0));
            let months = (status == "unemployed").then_some(((h >> 50) % 60) as i32);
            let in_edu = (status == "inactive").then(|| answer(1));
            let yes_no = |s: Option<&str>| s.map(|s| code(Answer::from_code, s)).transpose();
            // The answers in ANSWERS's order.
            let a = |j: u64| yes_no(Some(answer(j + 2)));
            b.enrolment(&EnrolmentRow {
                org_id: org,
                id: eid,
                participant_id: pid,
                project_id: project.id,
                enrolled_on: enrolled,
                labour_status: Some(code(LabourStatus::from_code, status)?),
                long_term_unemployed: yes_no(ltu)?,
                months_without_work: months,
                in_education: yes_no(in_edu)?,
                isced_level: (!incomplete).then_some(isced),
                born_abroad: a(0)?,
                foreign_background: a(1)?,
                disability: a(2)?,
                homeless: a(3)?,
                jobless_household: a(4)?,
                dependent_children: a(5)?,
                single_adult_with_children: a(6)?,
                social_assistance: a(7)?,
                sick_leave: a(8)?,
                activity_compensation: a(9)?,
                registered_at_employment_service: a(10)?,
                exited_on: exited,
                exit_status: exit_status
                    .map(|s| code(ExitStatus::from_code, s))
                    .transpose()?,
                coach_id: None,
                version: 1,
                created_at: now,
                created_by: None,
                updated_at: now,
            });
            let offered = (h >> 52).is_multiple_of(2).then(|| {
                (
                    PLACEMENT_KINDS[((h >> 53) % 7) as usize],
                    if (h >> 56).is_multiple_of(3) {
                        "declined"
                    } else {
                        "started"
                    },
                    enrolled + Duration::days(14),
                )
            });
            if let Some((kind, st, on)) = offered {
                b.placement(&PlacementRow {
                    org_id: org,
                    id: Uuid::from_u128((3u128 << 120) | u128::from(i)),
                    participant_id: pid,
                    workplace_id: workplace,
                    opening_id: None,
                    kind: code(PlacementKind::from_code, kind)?,
                    supervisor_id: None,
                    starts_on: None,
                    ends_on: None,
                    hours_per_week: None,
                    goals: None,
                    adaptations: None,
                    status: code(PlacementStatus::from_code, st)?,
                    offered_on: on,
                    version: 1,
                    created_at: now,
                    created_by: None,
                    updated_at: now,
                });
            }
            // Follow-ups of those who left: some made too late to count.
            let mut follows = Vec::new();
            if let Some(x) = exited {
                let on_leaving = x + Duration::days(((h >> 57) % 40) as i64);
                let later = x + Duration::days(170 + ((h >> 59) % 45) as i64);
                let employed = matches!(exit_status, Some("work" | "subsidised_work"));
                follows.push((
                    "immediate_result",
                    on_leaving,
                    [
                        !employed,
                        (h >> 58).is_multiple_of(5),
                        (h >> 60).is_multiple_of(4),
                        employed,
                        false,
                    ],
                ));
                follows.push((
                    "day_180",
                    later,
                    [
                        false,
                        false,
                        false,
                        employed || (h >> 61).is_multiple_of(3),
                        (h >> 62).is_multiple_of(2),
                    ],
                ));
            }
            for (n, (kind, on, a)) in follows.iter().enumerate() {
                let yn = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
                let done = (*on <= today).then_some(*on);
                b.follow_up(&FollowUpRow {
                    org_id: org,
                    id: Uuid::from_u128((4u128 << 120) | (u128::from(i) << 2) | n as u128),
                    enrolment_id: eid,
                    participant_id: pid,
                    kind: code(FollowUpKind::from_code, kind)?,
                    due_on: *on,
                    done_on: done,
                    job_searching: yn(a[0]),
                    in_education: yn(a[1]),
                    gained_qualification: yn(a[2]),
                    employed: yn(a[3]),
                    improved_situation: yn(a[4]),
                    social_assistance: None,
                    recorded_by: None,
                    recorded_at: None,
                });
                if let (Some(c), Some(done)) = (csv.as_mut(), done) {
                    let s = |b: bool| if b { "yes" } else { "no" };
                    c.follow_ups
                        .write_record([
                            eid.to_string(),
                            kind.to_string(),
                            done.to_string(),
                            s(a[0]).into(),
                            s(a[1]).into(),
                            s(a[2]).into(),
                            s(a[3]).into(),
                            s(a[4]).into(),
                        ])
                        .map_err(csv_err)?;
                }
            }
            let acts = &activities[k];
            if !acts.is_empty() {
                for j in 0..per_participant {
                    let minutes = 30 + (mix(h ^ j) % 180) as i32;
                    let on = enrolled + Duration::days((j * 3) as i64);
                    b.attendance(&AttendanceRow {
                        org_id: org,
                        id: Uuid::from_u128((5u128 << 120) | (u128::from(i) << 16) | u128::from(j)),
                        participant_id: pid,
                        activity_id: acts[(j as usize) % acts.len()],
                        attended_on: on,
                        minutes,
                        absence_reason: None,
                        recorded_at: now,
                        recorded_by: None,
                    });
                    if let Some(c) = csv.as_mut() {
                        c.attendance
                            .write_record([
                                pid.to_string(),
                                project.id.to_string(),
                                on.to_string(),
                                minutes.to_string(),
                            ])
                            .map_err(csv_err)?;
                    }
                }
            }
            if let Some(c) = csv.as_mut() {
                let mut rec = vec![
                    eid.to_string(),
                    project.id.to_string(),
                    pid.to_string(),
                    gender.to_owned(),
                    birth.to_string(),
                    enrolled.to_string(),
                    exited.map(|d| d.to_string()).unwrap_or_default(),
                    exit_status.unwrap_or_default().to_owned(),
                    status.to_owned(),
                    ltu.unwrap_or_default().to_owned(),
                    months.map(|m| m.to_string()).unwrap_or_default(),
                    in_edu.unwrap_or_default().to_owned(),
                    if incomplete {
                        String::new()
                    } else {
                        isced.to_string()
                    },
                ];
                rec.extend((0..ANSWERS.len() as u64).map(|j| answer(j + 2).to_owned()));
                c.enrolments.write_record(&rec).map_err(csv_err)?;
                if let Some((kind, st, on)) = offered {
                    c.placements
                        .write_record([
                            pid.to_string(),
                            kind.to_owned(),
                            st.to_owned(),
                            on.to_string(),
                        ])
                        .map_err(csv_err)?;
                }
            }
        }
        let mut per_org = std::collections::BTreeMap::<Uuid, usize>::new();
        for i in start..end {
            *per_org
                .entry(projects[(i % projects.len() as u64) as usize].owner_org_id)
                .or_default() += 1;
        }
        let mut tx = None;
        for (org, count) in per_org {
            let detail = format!("bench: {count} participants");
            match tx.as_mut() {
                None => tx = Some(app.system_job(&detail, Some(org)).await?),
                Some(tx) => app.system_job_also(tx, &detail, Some(org)).await?,
            }
        }
        let Some(mut tx) = tx else { break };
        tx.insert_rows_of(&b).await?;
        tx.commit().await?;
        start = end;
    }
    if let Some(mut c) = csv {
        for w in [
            &mut c.enrolments,
            &mut c.placements,
            &mut c.follow_ups,
            &mut c.attendance,
        ] {
            w.flush().map_err(|e| AppError::Internal(e.to_string()))?;
        }
    }
    Ok(())
}

/// The full report for every project, as its owner's project manager would ask for it:
/// (project name, participants counted, employed on leaving, each goal's achieved total).
pub async fn reports(app: &App) -> Result<Vec<BenchTotals>> {
    let projects = {
        let mut tx = app.catalogue_read().await?;
        let p = tx.projects().await?;
        tx.commit().await?;
        p
    };
    let mut out = Vec::new();
    for p in projects {
        let actor = Actor {
            user_id: Uuid::nil(),
            org_id: p.owner_org_id,
            role: Role::ProjectManager,
            name: "bench".into(),
            participant_id: None,
        };
        let r = app.project_report(&actor, p.id).await?;
        // Employed on leaving is EECR04 in ESF+ and CR04 in 2014–2020: the same rule.
        let total = |code: &str| {
            r.indicators
                .iter()
                .find(|i| i.code == code || i.code == format!("EE{code}"))
                .map_or(0, |i| i.count.total())
        };
        out.push((
            p.name,
            r.counted.total(),
            total("CR04"),
            r.money.whole_hours,
            r.goals.iter().map(|g| g.achieved.total()).collect(),
        ));
    }
    Ok(out)
}

/// The floor of an audited participant read, measured on the same database and pragmas as the
/// server: one indexed lookup of the participant, one durable audit insert, one commit, one
/// client at a time. `stegvis bench floor`; `scripts/bench-load` compares the server with it.
#[derive(Debug, Clone, Serialize)]
pub struct FloorRun {
    pub backend: String,
    pub iterations: usize,
    pub mean_us: f64,
    pub median_us: f64,
    pub p99_us: f64,
}

/// Reads `participant` `iterations` times, each in its own audited transaction (its event marked
/// as this benchmark's), after a tenth as many warm-up reads.
pub async fn floor(database_url: &str, participant: Uuid, iterations: usize) -> Result<FloorRun> {
    use stegvis_domain::access::{Action, Decision, RecordKind};
    let store = stegvis_store::Store::connect(database_url).await?;
    let event = || stegvis_store::AuditEvent {
        id: Uuid::now_v7(),
        at: time::OffsetDateTime::now_utc(),
        actor_user_id: None,
        actor_role: "system".into(),
        actor_org_id: None,
        participant_id: Some(participant),
        record_kind: RecordKind::Participant.code().into(),
        action: Action::Read,
        decision: Decision::Allowed,
        ground: "system:benchmark".into(),
        detail: Some("bench floor: one audited read".into()),
    };
    let mut micros = Vec::with_capacity(iterations);
    for i in 0..iterations + iterations / 10 {
        let started = std::time::Instant::now();
        let mut tx = store.begin_audited(&event()).await?;
        if tx.participant(participant).await?.is_none() {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        if i >= iterations / 10 {
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    store.close().await;
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() as f64 * q) as usize).min(micros.len() - 1)];
    Ok(FloorRun {
        backend: format!("{:?}", store.backend()).to_lowercase(),
        iterations,
        mean_us: micros.iter().sum::<f64>() / micros.len().max(1) as f64,
        median_us: at(0.5),
        p99_us: at(0.99),
    })
}
