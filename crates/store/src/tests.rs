//! The store's own tests: the queries that carry the rules (the one live-consent rule, what a
//! search may return, who receives a referral), the audited transaction (a refusal keeps its
//! events and none of its data; a write cannot commit without its report tallies), and reading
//! a stored code that is not one. SQLite by default; PostgreSQL when `STEGVIS_TEST_DATABASE_URL`
//! names a server.

use crate::consent::{ConsentRow, KindList};
use crate::organisation::OrganisationRow;
use crate::participant::{ParticipantQuery, ParticipantRow, Visibility};
use crate::referral::ReferralRow;
use crate::{AuditEvent, Audited, Store, StoreError};
use stegvis_domain::Gender;
use stegvis_domain::access::{Action, Decision, RecordKind};
use stegvis_domain::participant::IdentityMode;
use stegvis_domain::referral::ReferralStatus;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const TODAY: Date = date!(2026 - 12 - 06);
const NOW: OffsetDateTime = datetime!(2026-12-06 10:00 UTC);

async fn store() -> Store {
    store_at().await.0
}

/// A store over a fresh database, and its URL. On PostgreSQL the database is migrated by its
/// owner and the store connects as the runtime role, as the server does (`testing`).
async fn store_at() -> (Store, String) {
    let url = match std::env::var("STEGVIS_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => crate::testing::fresh_postgres_database(&admin)
            .await
            .unwrap(),
        _ => {
            let dir = std::env::temp_dir().join(format!("stegvis-store-{}", Uuid::now_v7()));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}", dir.join("store.db").display())
        }
    };
    let store = Store::connect(&url).await.unwrap();
    store.migrate_or_refuse().await.unwrap();
    (store, url)
}

fn event(participant: Option<Uuid>, action: Action) -> AuditEvent {
    AuditEvent {
        id: Uuid::now_v7(),
        at: NOW,
        actor_user_id: None,
        actor_role: "coach".into(),
        actor_org_id: None,
        participant_id: participant,
        record_kind: RecordKind::Participant.code().into(),
        action,
        decision: Decision::Allowed,
        ground: "own_organisation:coach".into(),
        detail: None,
    }
}

async fn organisation(store: &Store, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    let mut tx = store.begin().await.unwrap();
    tx.insert_organisation(&OrganisationRow {
        id,
        name: name.into(),
        kind: "municipal_unit".into(),
        municipality_code: None,
        created_at: NOW,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn participant_row(org_id: Uuid, family_name: &str) -> ParticipantRow {
    ParticipantRow {
        org_id,
        id: Uuid::now_v7(),
        identity_mode: IdentityMode::NoNumber,
        identity: None,
        birth_date: None,
        given_name: "Test".into(),
        family_name: family_name.into(),
        search_name: format!("test {}", family_name.to_lowercase()),
        gender: Gender::Woman,
        created_at: NOW,
        created_by: None,
        updated_at: NOW,
    }
}

/// A participant written in an audited transaction, as registration does (tallies refreshed).
async fn participant(store: &Store, org_id: Uuid, family_name: &str) -> Uuid {
    let row = participant_row(org_id, family_name);
    let mut tx = store
        .begin_audited(&event(Some(row.id), Action::Write))
        .await
        .unwrap();
    tx.insert_participant(&row).await.unwrap();
    tx.refresh_tallies().await.unwrap();
    tx.commit().await.unwrap();
    row.id
}

struct ConsentCase {
    kinds: &'static [RecordKind],
    valid_from: Date,
    valid_to: Option<Date>,
    revoked: bool,
}

async fn consent(store: &Store, owner: Uuid, participant: Uuid, to: Uuid, c: ConsentCase) -> Uuid {
    let id = Uuid::now_v7();
    let mut tx = store
        .begin_audited(&event(Some(participant), Action::Write))
        .await
        .unwrap();
    tx.insert_consent(&ConsentRow {
        org_id: owner,
        id,
        participant_id: participant,
        recipient_org_id: to,
        kinds: KindList(c.kinds.to_vec()),
        purpose: "test".into(),
        form: "written".into(),
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        recorded_by: None,
        recorded_at: NOW,
        revoked_at: c.revoked.then_some(NOW),
        revoked_by: None,
        live: false,
    })
    .await
    .unwrap();
    tx.refresh_tallies().await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn audited_read(store: &Store) -> Audited {
    store
        .begin_audited(&event(None, Action::Search))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_consent_is_live_from_its_first_to_its_last_day_until_revoked() {
    let store = store().await;
    let owner = organisation(&store, "Ägaren").await;
    let partner = organisation(&store, "Partnern").await;
    let p = participant(&store, owner, "Levande").await;
    let kinds = &[RecordKind::Participant];
    let cases = [
        ("live, open-ended", TODAY, None, false, true),
        (
            "live, ends today",
            date!(2026 - 01 - 01),
            Some(TODAY),
            false,
            true,
        ),
        ("begins tomorrow", date!(2026 - 12 - 07), None, false, false),
        (
            "ended yesterday",
            date!(2026 - 01 - 01),
            Some(date!(2026 - 12 - 05)),
            false,
            false,
        ),
        ("revoked", date!(2026 - 01 - 01), None, true, false),
    ];
    let mut ids = Vec::new();
    for (what, valid_from, valid_to, revoked, live) in cases {
        let c = ConsentCase {
            kinds,
            valid_from,
            valid_to,
            revoked,
        };
        ids.push((what, consent(&store, owner, p, partner, c).await, live));
    }
    let live: Vec<Uuid> = store
        .live_consents(p, TODAY)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    let mut tx = audited_read(&store).await;
    let rows = tx.consents_of(p, TODAY).await.unwrap();
    tx.commit().await.unwrap();
    for (what, id, expected) in ids {
        assert_eq!(
            live.contains(&id),
            expected,
            "the gate's live consents: {what}"
        );
        let row = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(row.live, expected, "the consent's own live flag: {what}");
    }
}

#[tokio::test]
async fn a_partner_search_finds_only_those_whose_live_consent_covers_the_kind() {
    let store = store().await;
    let owner = organisation(&store, "Ägaren").await;
    let partner = organisation(&store, "Partnern").await;
    let other = organisation(&store, "Någon annan").await;
    let covered = participant(&store, owner, "Täckt").await;
    let plan_only = participant(&store, owner, "Planbara").await;
    let revoked = participant(&store, owner, "Återkallad").await;
    let elsewhere = participant(&store, owner, "Annanstans").await;
    let case = |kinds, revoked| ConsentCase {
        kinds,
        valid_from: date!(2026 - 01 - 01),
        valid_to: None,
        revoked,
    };
    let given: [(Uuid, Uuid, &[RecordKind], bool); 4] = [
        (
            covered,
            partner,
            &[RecordKind::Plan, RecordKind::Participant],
            false,
        ),
        (plan_only, partner, &[RecordKind::Plan], false),
        (revoked, partner, &[RecordKind::Participant], true),
        (elsewhere, other, &[RecordKind::Participant], false),
    ];
    for (p, to, kinds, revoked) in given {
        consent(&store, owner, p, to, case(kinds, revoked)).await;
    }
    let query = ParticipantQuery {
        limit: 50,
        ..Default::default()
    };
    let mut tx = audited_read(&store).await;
    let consented = Visibility::Consented {
        recipient: partner,
        kind: RecordKind::Participant.code(),
        today: TODAY,
    };
    let (rows, total) = tx.search_participants(consented, &query).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![covered]);
    assert_eq!(total, 1);
    // The organisation sees all of its own, one participant only themselves, nobody nothing.
    let (all, _) = tx
        .search_participants(Visibility::Organisation(owner), &query)
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    let (own, _) = tx
        .search_participants(Visibility::Participant(plan_only), &query)
        .await
        .unwrap();
    assert_eq!(
        own.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![plan_only]
    );
    let (none, n) = tx
        .search_participants(Visibility::Nothing, &query)
        .await
        .unwrap();
    assert!(none.is_empty() && n == 0);
    let (partners_own, _) = tx
        .search_participants(Visibility::Organisation(partner), &query)
        .await
        .unwrap();
    assert!(
        partners_own.is_empty(),
        "another organisation's participants are not theirs"
    );
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_referral_reaches_its_recipient_only_while_its_consent_is_live() {
    let store = store().await;
    let owner = organisation(&store, "Ägaren").await;
    let partner = organisation(&store, "Partnern").await;
    let p = participant(&store, owner, "Remitterad").await;
    let live = consent(
        &store,
        owner,
        p,
        partner,
        ConsentCase {
            kinds: &[RecordKind::Participant],
            valid_from: date!(2026 - 01 - 01),
            valid_to: None,
            revoked: false,
        },
    )
    .await;
    let ended = consent(
        &store,
        owner,
        p,
        partner,
        ConsentCase {
            kinds: &[RecordKind::Participant],
            valid_from: date!(2026 - 01 - 01),
            valid_to: Some(date!(2026 - 06 - 30)),
            revoked: false,
        },
    )
    .await;
    let mut referrals = Vec::new();
    for consent_id in [live, ended] {
        let id = Uuid::now_v7();
        let mut tx = store
            .begin_audited(&event(Some(p), Action::Write))
            .await
            .unwrap();
        tx.insert_referral(&ReferralRow {
            org_id: owner,
            id,
            participant_id: p,
            to_org_id: partner,
            consent_id,
            reason: "test".into(),
            status: ReferralStatus::Sent,
            sent_by: None,
            sent_at: NOW,
            answered_by: None,
            answered_at: None,
            answer_note: None,
            closed_at: None,
        })
        .await
        .unwrap();
        tx.refresh_tallies().await.unwrap();
        tx.commit().await.unwrap();
        referrals.push(id);
    }
    let mut tx = audited_read(&store).await;
    let received = tx
        .referrals_for(partner, false, true, TODAY, 500, None)
        .await
        .unwrap();
    assert_eq!(
        received.iter().map(|r| r.referral.id).collect::<Vec<_>>(),
        vec![referrals[0]],
        "the referral whose consent ended is out of the recipient's list"
    );
    let sent = tx
        .referrals_for(owner, true, false, TODAY, 500, None)
        .await
        .unwrap();
    assert_eq!(sent.len(), 2, "the sender keeps both");
    let nothing = tx
        .referrals_for(partner, true, false, TODAY, 500, None)
        .await
        .unwrap();
    assert!(nothing.is_empty(), "the recipient sent none");
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_refused_transaction_keeps_its_events_and_none_of_its_data() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let row = participant_row(org, "Avvisad");
    let opened = event(Some(row.id), Action::Write);
    let mut tx = store.begin_audited(&opened).await.unwrap();
    tx.insert_participant(&row).await.unwrap();
    let read = event(Some(row.id), Action::Read);
    tx.record(&read).await.unwrap();
    tx.refuse("denied:invalid_input").await.unwrap();

    let mut tx = audited_read(&store).await;
    assert!(
        tx.participant(row.id).await.unwrap().is_none(),
        "nothing written stays"
    );
    let events = tx
        .audit_events(&crate::AuditFilter {
            participant_id: Some(row.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let write = events
        .iter()
        .find(|e| e.id == opened.id)
        .expect("the write's event");
    assert_eq!(
        write.decision,
        Decision::Denied,
        "recorded as refused, not allowed"
    );
    assert_eq!(write.ground, "denied:invalid_input");
    let look = events
        .iter()
        .find(|e| e.id == read.id)
        .expect("the read's event");
    assert_eq!(
        look.decision,
        Decision::Allowed,
        "a read that happened stays as it was"
    );
}

#[tokio::test]
async fn a_write_cannot_commit_without_its_report_tallies() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let row = participant_row(org, "Räknad");
    let mut tx = store
        .begin_audited(&event(Some(row.id), Action::Write))
        .await
        .unwrap();
    tx.insert_participant(&row).await.unwrap();
    assert!(matches!(
        tx.commit().await,
        Err(StoreError::TalliesNotRefreshed)
    ));
    // Rolled back with the refused commit: the participant is not there.
    let mut tx = audited_read(&store).await;
    assert!(tx.participant(row.id).await.unwrap().is_none());
    tx.commit().await.unwrap();

    let mut tx = store
        .begin_audited(&event(Some(row.id), Action::Write))
        .await
        .unwrap();
    tx.insert_participant(&row).await.unwrap();
    tx.refresh_tallies().await.unwrap();
    tx.commit().await.unwrap();
    // A read needs no refresh.
    audited_read(&store).await.commit().await.unwrap();
}

#[tokio::test]
async fn a_stored_code_that_is_not_one_is_an_error_never_a_default() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let id = participant(&store, org, "Skadad").await;
    let mut tx = store.begin().await.unwrap();
    crate::exec!(
        &mut tx,
        "UPDATE participants SET gender = 'female' WHERE id = $1",
        id
    )
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = audited_read(&store).await;
    match tx.participant(id).await {
        Err(StoreError::Corrupt(what)) => assert!(what.contains("gender"), "{what}"),
        other => panic!("expected a corrupt value, got {other:?}"),
    }
}

/// The events of the trail with these ids, read on a pooled connection (not the audit
/// writer's): what another reader sees.
async fn stored_ids(store: &Store, ids: &[Uuid]) -> Vec<Uuid> {
    let mut tx = store.begin_read().await.unwrap();
    let mut found = Vec::new();
    for id in ids {
        let row = crate::fetch_optional!(
            &mut tx,
            (Uuid,),
            "SELECT id FROM audit_events WHERE id = $1",
            *id
        )
        .unwrap();
        found.extend(row.map(|r| r.0));
    }
    tx.commit().await.unwrap();
    found
}

#[tokio::test]
async fn a_read_is_on_disk_when_its_commit_returns() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let p = participant(&store, org, "Läst").await;
    let opened = event(Some(p), Action::Read);
    let mut tx = store.begin_audited(&opened).await.unwrap();
    assert!(tx.participant(p).await.unwrap().is_some());
    let also = event(Some(p), Action::Read);
    tx.record(&also).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        stored_ids(&store, &[opened.id, also.id]).await,
        vec![opened.id, also.id],
        "both events are committed (seen from another connection) once commit returned"
    );
}

#[tokio::test]
async fn many_concurrent_reads_each_leave_their_event_in_fewer_commits() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let p = participant(&store, org, "Mångläst").await;
    let commits_before = store.audit_writer_commits();
    const READS: usize = 100;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..READS {
        let store = store.clone();
        tasks.spawn(async move {
            let e = event(Some(p), Action::Read);
            let mut tx = store.begin_audited(&e).await.unwrap();
            tx.participant(p).await.unwrap().expect("the participant");
            tx.commit().await.unwrap();
            e.id
        });
    }
    let ids: Vec<Uuid> = tasks.join_all().await;
    assert_eq!(
        stored_ids(&store, &ids).await.len(),
        READS,
        "every read's event"
    );
    if let (Some(before), Some(after)) = (commits_before, store.audit_writer_commits()) {
        let commits = after - before;
        eprintln!("{READS} concurrent reads: {commits} audit commits");
        assert!(commits >= 1);
        assert!(
            commits < READS as u64,
            "{READS} reads committed their events in {commits} transactions: no group commit"
        );
    }
}

#[tokio::test]
async fn a_refused_read_keeps_its_events() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let p = participant(&store, org, "Nekad").await;
    let opened = event(Some(p), Action::Read);
    let mut tx = store.begin_audited(&opened).await.unwrap();
    let mut denied = event(Some(p), Action::Read);
    denied.decision = Decision::Denied;
    denied.ground = "denied:no_consent".into();
    tx.record(&denied).await.unwrap();
    tx.refuse("denied:not_found").await.unwrap();
    assert_eq!(
        stored_ids(&store, &[opened.id, denied.id]).await,
        vec![opened.id, denied.id]
    );
    let mut alone = event(Some(p), Action::Read);
    alone.decision = Decision::Denied;
    store.record_event(&alone).await.unwrap();
    assert_eq!(stored_ids(&store, &[alone.id]).await, vec![alone.id]);
}

#[tokio::test]
async fn a_write_on_a_read_transaction_is_an_error() {
    let store = store().await;
    let org = organisation(&store, "Ägaren").await;
    let p = participant(&store, org, "Skriven").await;
    let opened = event(Some(p), Action::Read);
    let mut tx = store.begin_audited(&opened).await.unwrap();
    assert!(matches!(
        tx.record(&event(Some(p), Action::Write)).await,
        Err(StoreError::WriteInReadTransaction)
    ));
    tx.commit().await.unwrap();

    // A data write without its event is caught at commit on SQLite, whose read-mode events
    // reach the trail only after the data.
    if store.audit_writer_commits().is_some() {
        let row = participant_row(org, "Smugglad");
        let mut tx = store
            .begin_audited(&event(Some(row.id), Action::Read))
            .await
            .unwrap();
        tx.insert_participant(&row).await.unwrap();
        assert!(matches!(
            tx.commit().await,
            Err(StoreError::WriteInReadTransaction)
        ));
        let mut tx = audited_read(&store).await;
        assert!(
            tx.participant(row.id).await.unwrap().is_none(),
            "rolled back"
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn one_bad_event_fails_only_its_own_request() {
    let store = store().await;
    let first = event(None, Action::Search);
    store.record_event(&first).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let store = store.clone();
        // Every fifth repeats an id the trail holds: a unique violation.
        let e = if i % 5 == 0 {
            AuditEvent {
                id: first.id,
                ..event(None, Action::Search)
            }
        } else {
            event(None, Action::Search)
        };
        tasks.spawn(async move { (i, e.id, store.record_event(&e).await) });
    }
    let mut good = Vec::new();
    for (i, id, result) in tasks.join_all().await {
        if i % 5 == 0 {
            assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        } else {
            result.unwrap();
            good.push(id);
        }
    }
    assert_eq!(stored_ids(&store, &good).await.len(), good.len());
}

#[tokio::test]
async fn a_stopped_audit_writer_fails_the_read() {
    let store = store().await;
    let Some(sink) = store.audit_sink.clone() else {
        return; // PostgreSQL: the events are in the read's own transaction.
    };
    sink.close().await;
    let tx = audited_read(&store).await;
    assert!(matches!(tx.commit().await, Err(StoreError::AuditSink(_))));
    assert!(matches!(
        store.record_event(&event(None, Action::Search)).await,
        Err(StoreError::AuditSink(_))
    ));
}

#[tokio::test]
async fn a_pool_that_stays_full_answers_busy_instead_of_waiting_without_end() {
    let store = store().await;
    if store.backend() != crate::Backend::Sqlite {
        return; // The same setting; PostgreSQL's pool size comes from STEGVIS_DB_POOL.
    }
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(store.begin_read().await.unwrap());
    }
    assert!(matches!(store.begin_read().await, Err(StoreError::Busy)));
    for tx in held {
        tx.commit().await.unwrap();
    }
    store.begin_read().await.unwrap().commit().await.unwrap();
}

/// `stegvis check` sees a trail that can be changed and, on SQLite, a search index that no
/// longer matches its content.
#[tokio::test]
async fn check_finds_a_missing_trigger_and_a_stale_search_index() {
    let (store, url) = store_at().await;
    let failing = |checks: Vec<crate::check::Check>| -> Vec<String> {
        checks
            .into_iter()
            .filter(|c| !c.ok())
            .map(|c| c.what)
            .collect()
    };
    assert_eq!(failing(store.check().await.unwrap()), Vec::<String>::new());

    let mut tx = store.begin().await.unwrap();
    match store.backend() {
        crate::Backend::Sqlite => {
            crate::exec!(&mut tx, "DROP TRIGGER audit_events_no_delete").unwrap();
            crate::exec!(&mut tx, "CREATE TABLE crash_notes (body TEXT)").unwrap();
            crate::exec!(
                &mut tx,
                "INSERT INTO crash_notes VALUES ('first'), ('second')"
            )
            .unwrap();
            crate::exec!(
                &mut tx,
                "CREATE VIRTUAL TABLE crash_notes_fts
                 USING fts5(body, content='crash_notes', content_rowid='rowid')"
            )
            .unwrap();
            crate::exec!(
                &mut tx,
                "INSERT INTO crash_notes_fts(crash_notes_fts) VALUES ('rebuild')"
            )
            .unwrap();
        }
        crate::Backend::Postgres => {
            // Only the owner may; the store's runtime role cannot (roles.rs).
            crate::testing::owner_exec(
                &url,
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
            )
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    let failed = failing(store.check().await.unwrap());
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].contains("append-only triggers"), "{failed:?}");

    if store.backend() == crate::Backend::Sqlite {
        let mut tx = store.begin().await.unwrap();
        crate::exec!(
            &mut tx,
            "INSERT INTO crash_notes_fts(rowid, body) VALUES (99, 'ghost')"
        )
        .unwrap();
        tx.commit().await.unwrap();
        let failed = failing(store.check().await.unwrap());
        assert!(
            failed
                .iter()
                .any(|w| w.contains("FTS5 index crash_notes_fts")),
            "{failed:?}"
        );
    }
}

/// Participants `Berg0000`… in one organisation, written in one audited transaction.
async fn many_participants(store: &Store, org: Uuid, n: usize) {
    let mut tx = store
        .begin_audited(&event(None, Action::Write))
        .await
        .unwrap();
    for i in 0..n {
        tx.insert_participant(&participant_row(org, &format!("Berg{i:04}")))
            .await
            .unwrap();
    }
    tx.refresh_tallies().await.unwrap();
    tx.commit().await.unwrap();
}

fn by_name(name: &str, limit: i64, offset: i64) -> ParticipantQuery {
    ParticipantQuery {
        name: Some(name.into()),
        limit,
        offset,
        ..Default::default()
    }
}

/// Many matches: counting stops at the cap and says there are more; a page beyond the cap
/// counts to its own end. The same through the trigram index, the ordered walk and the list.
#[tokio::test]
async fn a_search_counts_to_the_cap_and_pages_beyond_it() {
    let store = store().await;
    let org = organisation(&store, "Stora").await;
    many_participants(&store, org, 1005).await;
    let mut tx = audited_read(&store).await;
    let all = ParticipantQuery {
        limit: 50,
        ..Default::default()
    };
    for q in [by_name("berg", 50, 0), by_name("be", 50, 0), all.clone()] {
        let p = tx
            .search_page(Visibility::Organisation(org), &q)
            .await
            .unwrap();
        let (rows, total, more) = (p.rows, p.total, p.more);
        assert_eq!((rows.len(), total, more), (50, 1000, true), "{:?}", q.name);
        assert_eq!(rows[0].family_name, "Berg0000");
        let beyond = ParticipantQuery { offset: 990, ..q };
        let p = tx
            .search_page(Visibility::Organisation(org), &beyond)
            .await
            .unwrap();
        let (rows, total, more) = (p.rows, p.total, p.more);
        assert_eq!((rows.len(), total, more), (15, 1005, false));
        assert_eq!(rows[0].family_name, "Berg0990");
    }
    let p = tx
        .search_page(Visibility::Organisation(org), &by_name("t berg100", 50, 0))
        .await
        .unwrap();
    let (rows, total, more) = (p.rows, p.total, p.more);
    let names: Vec<_> = rows.iter().map(|r| r.family_name.as_str()).collect();
    assert_eq!(
        names,
        ["Berg1000", "Berg1001", "Berg1002", "Berg1003", "Berg1004"]
    );
    assert_eq!((total, more), (5, false));
    // A page at the end of the numbers: nothing, and no overflow (schemathesis found it).
    let far = ParticipantQuery {
        offset: i64::MAX - 1,
        ..by_name("berg", 200, 0)
    };
    let p = tx
        .search_page(Visibility::Organisation(org), &far)
        .await
        .unwrap();
    assert!(p.rows.is_empty());
    assert_eq!((p.total, p.more), (1005, false));
    tx.commit().await.unwrap();
}

/// A changed search name is found by its new form only: the trigram index follows updates.
#[tokio::test]
async fn the_name_index_follows_a_changed_search_name() {
    let store = store().await;
    let org = organisation(&store, "Ändrade").await;
    let id = participant(&store, org, "Muller").await;
    let mut tx = store
        .begin_audited(&event(None, Action::Write))
        .await
        .unwrap();
    tx.set_search_name(id, "test möller").await.unwrap();
    tx.refresh_tallies().await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = audited_read(&store).await;
    for (name, found) in [("muller", 0), ("möller", 1), ("test m", 1)] {
        let (rows, total) = tx
            .search_participants(Visibility::Organisation(org), &by_name(name, 50, 0))
            .await
            .unwrap();
        assert_eq!((rows.len(), total), (found, found as i64), "{name}");
    }
    tx.commit().await.unwrap();
}

/// SQLite's plans for every shape of search: an index, never a scan of participants, and no
/// sort where the list order's index walks the page.
#[tokio::test]
async fn searches_use_an_index_never_a_scan_of_participants() {
    if std::env::var("STEGVIS_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return;
    }
    let store = store().await;
    let org = Uuid::now_v7();
    let consented = Visibility::Consented {
        recipient: org,
        kind: RecordKind::Participant.code(),
        today: TODAY,
    };
    let by_number = ParticipantQuery {
        identity_hash: Some(vec![1; 32]),
        limit: 50,
        ..Default::default()
    };
    let list = ParticipantQuery {
        limit: 50,
        ..Default::default()
    };
    let mut tx = audited_read(&store).await;
    // (visibility, query, through the trigram index, sorted in a temporary tree)
    let cases = [
        (
            Visibility::Organisation(org),
            by_name("berg", 50, 0),
            true,
            true,
        ),
        (
            Visibility::Organisation(org),
            by_name("berg", 50, 0),
            false,
            false,
        ),
        (
            Visibility::Organisation(org),
            by_name("b", 50, 0),
            false,
            false,
        ),
        (Visibility::Organisation(org), list.clone(), false, false),
        (
            Visibility::Organisation(org),
            by_number.clone(),
            false,
            false,
        ),
        (
            Visibility::Participant(org),
            by_name("berg", 50, 0),
            false,
            false,
        ),
        (consented, by_name("berg", 50, 0), true, true),
        (consented, list, false, true),
        (consented, by_number, false, true),
    ];
    for (visibility, query, trigram, sorted) in cases {
        let plans = tx.search_plans(visibility, &query, trigram).await.unwrap();
        let rows = &plans[0];
        println!("{visibility:?} {:?} {trigram}: {plans:?}", query.name);
        for plan in &plans {
            assert!(
                !plan.contains("SCAN p") && !plan.contains("SCAN participants"),
                "{visibility:?} {:?}: {plan}",
                query.name
            );
        }
        assert_eq!(
            rows.contains("TEMP B-TREE"),
            sorted,
            "{visibility:?}: {rows}"
        );
        if trigram {
            assert!(rows.contains("VIRTUAL TABLE"), "{rows}");
        }
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_request_with_more_events_than_one_insert_holds_is_stored_whole() {
    let store = store().await;
    let events: Vec<AuditEvent> = (0..250).map(|_| event(None, Action::Search)).collect();
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    store.record_events(events).await.unwrap();
    assert_eq!(stored_ids(&store, &ids).await.len(), ids.len());
}

#[tokio::test]
async fn a_bulk_load_ends_with_the_schema_the_migrations_make() {
    let store = store().await;
    if store.backend() != crate::Backend::Sqlite {
        return; // PostgreSQL keeps its indexes through a bulk load.
    }
    assert_eq!(
        store.schema_differences().await.unwrap(),
        Vec::<String>::new()
    );
    let org = organisation(&store, "Bulk").await;
    store.bulk_load_start().await.unwrap();
    let dropped = store.schema_differences().await.unwrap();
    for name in [
        "participant_names_insert",
        "participants_by_name",
        "attendance_recent",
    ] {
        assert!(dropped.iter().any(|d| d.contains(name)), "{dropped:?}");
    }
    // Written while the trigram index has no trigger: found after the rebuild.
    let id = participant(&store, org, "Lindqvist").await;
    assert!(store.bulk_load_finish().await.unwrap() >= dropped.len());
    assert_eq!(
        store.schema_differences().await.unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(store.bulk_load_finish().await.unwrap(), 0);
    let query = ParticipantQuery {
        name: Some("ndqv".into()),
        limit: 10,
        ..Default::default()
    };
    let mut tx = audited_read(&store).await;
    let (rows, _) = tx
        .search_participants(Visibility::Organisation(org), &query)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
}

/// The runtime role (what the server and this suite connect as on PostgreSQL) may append to
/// the trail and read it, and nothing else: no dropping or disabling the trigger, no DELETE,
/// UPDATE or TRUNCATE, no replica mode that would skip triggers.
#[tokio::test]
async fn the_runtime_role_can_only_append_to_the_trail() {
    use sqlx::{Connection, Executor};
    let Ok(admin) = std::env::var("STEGVIS_TEST_DATABASE_URL").map(|u| u.trim().to_owned()) else {
        eprintln!("skipped: roles exist only on PostgreSQL (STEGVIS_TEST_DATABASE_URL unset)");
        return;
    };
    if admin.is_empty() {
        eprintln!("skipped: roles exist only on PostgreSQL (STEGVIS_TEST_DATABASE_URL empty)");
        return;
    }
    assert!(
        crate::testing::has_roles(&admin).await.unwrap(),
        "the server lacks the roles {} and {}: run scripts/postgres-start",
        crate::testing::OWNER_ROLE,
        crate::testing::RUNTIME_ROLE
    );
    let (store, url) = store_at().await;
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let who: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(who, crate::testing::RUNTIME_ROLE);
    assert!(!store.owns_trail().await.unwrap());

    // INSERT (through the store's own path) and SELECT work.
    store
        .record_event(&event(None, Action::Search))
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(n >= 1);

    let mut forbidden = vec![
        "DROP TRIGGER audit_events_append_only ON audit_events".to_owned(),
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only".to_owned(),
        "ALTER TABLE audit_events DISABLE TRIGGER ALL".to_owned(),
        "DELETE FROM audit_events".to_owned(),
        "UPDATE audit_events SET ground = 'tampered'".to_owned(),
        "TRUNCATE audit_events".to_owned(),
        "DROP TABLE audit_events".to_owned(),
        "SET session_replication_role = replica".to_owned(),
        "DELETE FROM _sqlx_migrations".to_owned(),
        "CREATE TABLE runtime_may_not (x int)".to_owned(),
    ];
    // Trail tables other parts add (roles::TRAIL_TABLES), where this database has them.
    for table in crate::roles::TRAIL_TABLES.iter().skip(1) {
        let exists: Option<String> = sqlx::query_scalar("SELECT to_regclass($1)::text")
            .bind(*table)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        if exists.is_some() {
            let column: String = sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_name = $1 ORDER BY ordinal_position LIMIT 1",
            )
            .bind(*table)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            forbidden.push(format!("DELETE FROM {table}"));
            forbidden.push(format!("UPDATE {table} SET {column} = {column}"));
            forbidden.push(format!("TRUNCATE {table}"));
            forbidden.push(format!("DROP TABLE {table}"));
        }
    }
    for sql in &forbidden {
        // Each on its own transaction, rolled back whatever happens.
        let mut tx = conn.begin().await.unwrap();
        let outcome = tx.execute(sqlx::AssertSqlSafe(sql.clone())).await;
        tx.rollback().await.unwrap();
        let err = outcome.expect_err(&format!("the runtime role could run: {sql}"));
        let message = err.to_string();
        assert!(
            message.contains("permission denied")
                || message.contains("must be owner")
                || message.contains("append-only"),
            "{sql}: failed for another reason: {message}"
        );
    }
    conn.close().await.unwrap();
    store.close().await;
}

/// On PostgreSQL the suite's URL decides TLS: with `sslmode=verify-full` the connection is
/// encrypted (pg_stat_ssl), and a certificate from another CA is refused.
#[tokio::test]
async fn pg_connection_is_encrypted_and_verified() {
    use sqlx::Connection;
    let admin = std::env::var("STEGVIS_TEST_DATABASE_URL").unwrap_or_default();
    if !admin.contains("sslmode=verify-full") {
        eprintln!("skipped: STEGVIS_TEST_DATABASE_URL does not ask for sslmode=verify-full");
        return;
    }
    let (store, url) = store_at().await;
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let (ssl, version): (bool, Option<String>) =
        sqlx::query_as("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(ssl, "the suite's connection is not encrypted");
    assert!(version.is_some_and(|v| v.starts_with("TLSv1.")));
    conn.close().await.unwrap();
    store.close().await;

    // The DNS name in the certificate works as well as the IP address.
    let by_name = url.replacen("@127.0.0.1:", "@localhost:", 1);
    if by_name != url {
        sqlx::PgConnection::connect(&by_name)
            .await
            .expect("localhost is in the certificate")
            .close()
            .await
            .unwrap();
    }

    // Another CA: a self-signed certificate made here, that signed nothing of the server's.
    let dir = std::env::temp_dir().join(format!("stegvis-other-ca-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args([
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Not the Stegvis test CA",
        ])
        .arg("-keyout")
        .arg(dir.join("ca.key"))
        .arg("-out")
        .arg(&ca)
        .output()
        .expect("openssl");
    assert!(made.status.success(), "{made:?}");
    let (base, query) = url.split_once('?').unwrap();
    let query: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.starts_with("sslrootcert=") && !kv.starts_with("sslmode="))
        .collect();
    let mut wrong = format!("{base}?sslmode=verify-full&sslrootcert={}", ca.display());
    for kv in query {
        wrong.push('&');
        wrong.push_str(kv);
    }
    let refused = sqlx::PgConnection::connect(&wrong).await;
    let _ = std::fs::remove_dir_all(&dir);
    let Err(err) = refused else {
        panic!("a certificate from another CA was accepted");
    };
    // rustls says why: the server's certificate was not issued by the CA we trust.
    let message = err.to_string();
    assert!(
        message.contains("UnknownIssuer") || message.contains("certificate"),
        "refused, but not by TLS: {message}"
    );
}

/// The runtime role does not migrate: on a database the owner has not brought up to date it
/// refuses and says who must (`stegvis migrate` as the owner).
#[tokio::test]
async fn the_runtime_role_refuses_an_outdated_schema() {
    let admin = std::env::var("STEGVIS_TEST_DATABASE_URL").unwrap_or_default();
    if admin.is_empty() || !crate::testing::has_roles(&admin).await.unwrap() {
        eprintln!("skipped: needs PostgreSQL with the owner and runtime roles");
        return;
    }
    let (store, url) = store_at().await;
    store.close().await;
    // As if a newer version brought one more migration.
    crate::testing::owner_exec(
        &url,
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    )
    .await
    .unwrap();
    let runtime = Store::connect(&url).await.unwrap();
    assert_eq!(runtime.pending_migrations().await.unwrap(), 1);
    let err = runtime.migrate_or_refuse().await.unwrap_err();
    assert!(matches!(err, StoreError::OwnerMustMigrate(1)), "{err}");
    assert!(
        err.to_string().contains("kör `stegvis migrate` som ägare"),
        "{err}"
    );
    runtime.close().await;
}
