//! Issue #13: the lists cost what they show. `EXPLAIN QUERY PLAN` on the production SQL of each
//! list (SQLite, without statistics, as Stegvis runs) must search by index: no full scan of a
//! personal table and no sort of a whole organisation. The answers themselves are pinned by the
//! API suite's snapshots (crates/web/tests/api/scale_queries.rs).

use crate::Store;
use crate::caseload::{CaseloadOf, caseload_sql};
use crate::follow_up::{DueOf, DuePage, due_follow_ups_sql};
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
        "p" | "fkp" => "participants",
        "f" | "fk" => "follow_ups",
        "t" | "a" => "attendance",
        "pl" => "placements",
        "r" | "rk" => "referrals",
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

    // Follow-ups due: the organisation's open ones that are due, or one participant's; the
    // first page, the page after a cursor (whose key is read by its id), and one follow-up.
    for (page, binds) in [(DuePage::First, 3), (DuePage::After, 4), (DuePage::One, 3)] {
        let name = format!("due, {page:?}");
        let lines = plan(
            &mut tx,
            &due_follow_ups_sql(DueOf::Organisation, page),
            binds,
        )
        .await;
        assert_indexed(&name, &lines, 0);
        // One follow-up is found by its key; the pages walk the open ones that are due.
        if !matches!(page, DuePage::One) {
            assert_uses(&name, &lines, "follow_ups_open_org (org_id=? AND due_on");
        }
        let name = format!("due of a participant, {page:?}");
        let lines = plan(
            &mut tx,
            &due_follow_ups_sql(DueOf::Participant, page),
            binds,
        )
        .await;
        assert_indexed(&name, &lines, 1);
        // After a cursor SQLite (without statistics) takes the cursor's date as a range on the
        // organisation's index instead; a participant has a few follow-ups (three per
        // enrolment), so a second page of their own is rare: only no full scan is required.
        if matches!(page, DuePage::First) {
            assert_uses(
                &name,
                &lines,
                "follow_ups_open_participant (participant_id=? AND org_id=? AND due_on",
            );
        }
    }

    // The supervisor's placements.
    let lines = plan(&mut tx, crate::placement::SUPERVISED, 1).await;
    assert_indexed("supervised", &lines, 1);
    assert_uses(
        "supervised",
        &lines,
        "placements_supervised (supervisor_id=?",
    );

    // Referrals: each side newest first from its own index, one page each, from the cursor on.
    for after in [false, true] {
        let extra = usize::from(after);
        for (name, sent, received, binds, needles) in [
            ("sent", true, false, 2, &["referrals_sent (org_id=?"][..]),
            (
                "received",
                false,
                true,
                3,
                &["referrals_to_org (to_org_id=?"][..],
            ),
            (
                "sent and received",
                true,
                true,
                3,
                &["referrals_sent (org_id=?", "referrals_to_org (to_org_id=?"][..],
            ),
        ] {
            let name = format!("{name}, after: {after}");
            let sql = crate::referral::referrals_for_sql(sent, received, after).unwrap();
            let lines = plan(&mut tx, &sql, binds + extra).await;
            // Each side reads its index in the list's order, ties of `sent_at` included (no
            // sort of a tie group, however large); each side's page is sorted once more for
            // the merge.
            for n in needles {
                assert_uses(&name, &lines, n);
            }
            assert_indexed(&name, &lines, needles.len());
            assert!(
                !lines
                    .iter()
                    .any(|l| l.contains("PART OF ORDER BY") || l.contains("TERM OF ORDER BY")),
                "{name}: ties of sent_at sorted apart from the index:\n{}",
                lines.join("\n")
            );
        }
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
