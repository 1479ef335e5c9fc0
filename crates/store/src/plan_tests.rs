//! Issue #13: the lists cost what they show. `EXPLAIN QUERY PLAN` on the production SQL of each
//! list (SQLite, without statistics, as Stegvis runs) must search by index: no full scan of a
//! personal table and no sort of a whole organisation. The answers themselves are pinned by the
//! API suite's snapshots (crates/web/tests/api/scale_queries.rs).

use crate::Store;
use crate::caseload::{CaseloadOf, caseload_sql};
use crate::follow_up::{DueOf, due_follow_ups_sql};
use crate::report::{Scope, report_data_sql};
use crate::{Backend, Tx};
use uuid::Uuid;

/// Tables whose size grows with the participants; a plan may only search them by index.
const PERSONAL: [&str; 7] = [
    "participants",
    "enrolments",
    "follow_ups",
    "attendance",
    "placements",
    "referrals",
    "plan_steps",
];

/// The plan's lines. A sort inside a correlated subquery (one participant's open steps) is
/// marked `per row:`, since it sorts what one row of the page owns.
async fn plan(tx: &mut Tx, sql: &str, binds: usize) -> Vec<String> {
    let Tx::Sqlite(t, _) = tx else {
        unreachable!("SQLite only")
    };
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(explain));
    for _ in 0..binds {
        q = q.bind(Uuid::nil());
    }
    let rows = q.fetch_all(&mut **t).await.expect("explain");
    let parent: std::collections::HashMap<i64, (i64, &str)> = rows
        .iter()
        .map(|(id, parent, _, d)| (*id, (*parent, d.as_str())))
        .collect();
    let correlated = |mut id: i64| {
        while let Some((up, d)) = parent.get(&id) {
            if d.starts_with("CORRELATED") {
                return true;
            }
            id = *up;
        }
        false
    };
    rows.iter()
        .map(|(id, _, _, d)| {
            if correlated(*id) && d.starts_with("USE TEMP B-TREE") {
                format!("per row: {d}")
            } else {
                d.clone()
            }
        })
        .collect()
}

/// Which table each alias of the production SQL stands for.
fn table_of(alias: &str) -> &str {
    match alias {
        "e" => "enrolments",
        "p" => "participants",
        "f" => "follow_ups",
        "t" | "a" => "attendance",
        "pl" => "placements",
        "r" => "referrals",
        "s" => "plan_steps",
        other => other,
    }
}

/// Fails on a full scan of a personal table, or a sort in a temporary B-tree other than the
/// page's own ordering of what it shows (`allowed_sorts` of them).
fn assert_indexed(name: &str, lines: &[String], allowed_sorts: usize) {
    let all = lines.join("\n");
    for line in lines {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("SCAN ") {
            let alias = rest.split_whitespace().next().unwrap_or("");
            assert!(
                !PERSONAL.contains(&table_of(alias)),
                "{name}: full scan of {alias}:\n{all}"
            );
        }
    }
    let sorts = lines
        .iter()
        .filter(|l| l.starts_with("USE TEMP B-TREE FOR ORDER BY"))
        .count();
    assert!(
        sorts <= allowed_sorts,
        "{name}: {sorts} sorts in a temporary B-tree:\n{all}"
    );
}

fn assert_uses(name: &str, lines: &[String], needle: &str) {
    assert!(
        lines.iter().any(|l| l.contains(needle)),
        "{name}: expected {needle:?} in\n{}",
        lines.join("\n")
    );
}

#[tokio::test]
async fn query_plans_use_indexes() {
    if std::env::var("STEGVIS_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return; // SQLite's planner only; PostgreSQL's plans are checked by hand (README).
    }
    let dir = std::env::temp_dir().join(format!("stegvis-plans-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.join("plans.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let mut tx = store.begin_read().await.unwrap();

    // The caseload: the coach's enrolments by (org_id, coach_id), open follow-ups by enrolment,
    // the last attended day from the newest entry; only the page's 500 rows are sorted by name.
    for (name, of, binds) in [
        ("caseload", CaseloadOf::Coach(Uuid::nil()), 5),
        ("unassigned", CaseloadOf::Unassigned, 4),
    ] {
        let lines = plan(&mut tx, &caseload_sql(of), binds).await;
        assert_indexed(name, &lines, 1);
        assert_uses(
            name,
            &lines,
            "USING INDEX enrolments_caseload (org_id=? AND coach_id=?)",
        );
        assert_uses(name, &lines, "follow_ups_open (enrolment_id=?");
        assert_uses(name, &lines, "attendance_recent (participant_id=?");
        assert!(
            !lines.iter().any(|l| l.contains("follow_ups_open_org")),
            "{name}: {lines:#?}"
        );
    }

    // Follow-ups due: the organisation's open ones that are due, or one participant's.
    let lines = plan(&mut tx, &due_follow_ups_sql(DueOf::Organisation), 2).await;
    assert_indexed("due", &lines, 0);
    assert_uses("due", &lines, "follow_ups_open_org (org_id=? AND due_on<?)");
    let lines = plan(&mut tx, &due_follow_ups_sql(DueOf::Participant), 2).await;
    assert_indexed("due of a participant", &lines, 1);
    assert_uses(
        "due of a participant",
        &lines,
        "follow_ups_open_participant (participant_id=? AND org_id=? AND due_on<?)",
    );

    // The supervisor's placements.
    let lines = plan(&mut tx, crate::placement::SUPERVISED, 1).await;
    assert_indexed("supervised", &lines, 1);
    assert_uses(
        "supervised",
        &lines,
        "placements_supervised (supervisor_id=?",
    );

    // Referrals: each side newest first from its own index, at most 500 each.
    for (name, sent, received, binds, needles) in [
        ("sent", true, false, 1, &["referrals_sent (org_id=?)"][..]),
        (
            "received",
            false,
            true,
            2,
            &["referrals_to_org (to_org_id=?)"][..],
        ),
        (
            "sent and received",
            true,
            true,
            2,
            &[
                "referrals_sent (org_id=?)",
                "referrals_to_org (to_org_id=?)",
            ][..],
        ),
    ] {
        let sql = crate::referral::referrals_for_sql(sent, received).unwrap();
        let lines = plan(&mut tx, &sql, binds).await;
        // The id breaks ties within a second; each side's at most 500 rows are sorted once
        // more for the merge.
        for n in needles {
            assert_uses(name, &lines, n);
        }
        assert_indexed(name, &lines, needles.len());
    }

    // The tally refresh on every write: one participant's rows, never the organisation's.
    let scope = Scope::Participant {
        participant_id: Uuid::nil(),
        org_id: Uuid::nil(),
    };
    for (i, sql) in report_data_sql(scope, Backend::Sqlite).iter().enumerate() {
        let name = format!("tally refresh query {i}");
        let lines = plan(&mut tx, sql, 2).await;
        assert_indexed(&name, &lines, 1);
        assert!(
            !lines.iter().any(|l| l.ends_with("(org_id=?)")),
            "{name}: searched by organisation only:\n{}",
            lines.join("\n")
        );
    }
    tx.commit().await.unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
