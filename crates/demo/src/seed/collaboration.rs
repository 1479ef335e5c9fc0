//! Demo collaboration: a samverkansteam per seed project, consents to the employment service
//! (some revoked), referrals that rely on them, and case conferences whose decisions are plan
//! steps. All made up, following from each synthetic participant's hash.

use super::{Context, SeedProject};
use crate::population::SyntheticParticipant;
use stegvis_app::{App, Result};
use stegvis_domain::access::RecordKind;
use stegvis_domain::referral::ReferralStatus;
use stegvis_store::batch::BatchRows;
use stegvis_store::collaboration::{ConferenceRow, TeamRow};
use stegvis_store::consent::{ConsentRow, KindList};
use stegvis_store::referral::ReferralRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What the participant lets the employment service see in the demo.
const KINDS: &[RecordKind] = &[
    RecordKind::Participant,
    RecordKind::Plan,
    RecordKind::Assessment,
    RecordKind::Conference,
];

/// One team per seed project: the owner with the project's partners (or the employment
/// service, when the seed names none).
pub(super) async fn demo_teams(
    app: &App,
    projects: &[(Uuid, Uuid, SeedProject)],
    context: &mut Context,
) -> Result<()> {
    let mut tx = app.catalogue().await?;
    let af = tx
        .organisation_by_name("Arbetsförmedlingen")
        .await?
        .map(|o| o.id);
    context.employment_service = af;
    let now = app.now();
    for (project, owner, seed) in projects {
        let owner_name = tx
            .organisation(*owner)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let mut orgs = Vec::new();
        for name in seed.partners {
            if let Some(o) = tx.organisation_by_name(name).await? {
                orgs.push(o.id);
            }
        }
        if orgs.is_empty() {
            orgs.extend(af);
        }
        let team = TeamRow {
            id: Uuid::now_v7(),
            org_id: *owner,
            name: format!("Samverkansteam {}", seed.name),
            project_id: Some(*project),
            members: format!(
                "Arbetsmarknadskonsulent, {owner_name}\nHandläggare, Arbetsförmedlingen\nSocialsekreterare, socialtjänsten"
            ),
            created_at: now,
            created_by: None,
        };
        tx.insert_team(&team, &orgs).await?;
        context.teams.insert(*project, (team.id, owner_name));
    }
    tx.commit().await?;
    Ok(())
}

/// The demo participant's own live consent to the employment service, so that its demo user
/// sees their plan until they revoke it on their page.
pub(super) async fn demo_participant_consent(
    app: &App,
    participant_id: Uuid,
    org_id: Uuid,
) -> Result<()> {
    let Some(af) = app.organisation_named("Arbetsförmedlingen").await? else {
        return Ok(());
    };
    let mut tx = app
        .system_job("demo: the participant's consent", Some(org_id))
        .await?;
    tx.insert_consent(&ConsentRow {
        org_id,
        id: Uuid::now_v7(),
        participant_id,
        recipient_org_id: af.id,
        kinds: KindList(KINDS.to_vec()),
        purpose: "Planera arbetsträning tillsammans med Arbetsförmedlingen".into(),
        form: "digital".into(),
        valid_from: app.today(),
        valid_to: None,
        recorded_by: None,
        recorded_at: app.now(),
        revoked_at: None,
        revoked_by: None,
        live: false,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Three in ten current participants consent to the employment service (one in four of those
/// has revoked it); most of them are referred there, and half have had a case conference.
#[allow(clippy::too_many_arguments)]
pub(super) fn demo_collaboration(
    rows: &mut BatchRows,
    context: &Context,
    p: &SyntheticParticipant,
    participant_id: Uuid,
    org_id: Uuid,
    project_id: Uuid,
    h: u64,
    today: Date,
    now: OffsetDateTime,
) -> Result<()> {
    let Some(af) = context.employment_service else {
        return Ok(());
    };
    if p.exit.is_some() || (h >> 48) % 10 >= 3 || af == org_id {
        return Ok(());
    }
    let revoked = (h >> 52).is_multiple_of(4);
    let consent = ConsentRow {
        org_id,
        id: Uuid::now_v7(),
        participant_id,
        recipient_org_id: af,
        kinds: KindList(KINDS.to_vec()),
        purpose: "Samverkan kring planering och arbetsträning".into(),
        form: if (h >> 53).is_multiple_of(2) {
            "written"
        } else {
            "oral"
        }
        .into(),
        valid_from: p.enrolled_on.min(today),
        valid_to: None,
        recorded_by: None,
        recorded_at: now,
        revoked_at: revoked.then_some(now),
        revoked_by: None,
        live: false,
    };
    rows.consent(&consent);
    let (status, answered, closed) = match ((h >> 54) % 3, revoked) {
        (_, true) => ("closed", None, Some(now)),
        (0, false) => ("sent", None, None),
        (1, false) => ("accepted", Some(now), None),
        _ => ("", None, None),
    };
    if !status.is_empty() {
        rows.referral(&ReferralRow {
            org_id,
            id: Uuid::now_v7(),
            participant_id,
            to_org_id: af,
            consent_id: consent.id,
            reason:
                "Behöver stöd i att hitta en arbetsträningsplats och i kontakten med arbetsgivare."
                    .into(),
            status: ReferralStatus::from_code(status)
                .map_err(|e| stegvis_app::AppError::Internal(e.to_string()))?,
            sent_by: None,
            sent_at: now,
            answered_by: None,
            answered_at: answered,
            answer_note: answered.map(|_| "Välkommen till ett första trepartssamtal.".into()),
            closed_at: closed,
        });
    }
    let Some((team, owner_name)) = context.teams.get(&project_id) else {
        return Ok(());
    };
    if !(h >> 56).is_multiple_of(2) {
        return Ok(());
    }
    let held_on = (today - time::Duration::days(20)).max(p.enrolled_on.min(today));
    let step = stegvis_store::plan::PlanStepRow {
        org_id,
        id: Uuid::now_v7(),
        participant_id,
        goal: format!("Beslut på samverkansmöte {held_on}"),
        step: "Boka trepartssamtal med en arbetsgivare".into(),
        owner: stegvis_domain::plan::StepOwner::Staff,
        due_on: Some(held_on + time::Duration::days(14)),
        status: stegvis_domain::plan::StepStatus::Planned,
        participant_words: None,
        staff_note: None,
        version: 1,
        created_at: now,
        created_by: None,
        updated_at: now,
    };
    rows.plan_step(&step);
    rows.conference(
        &ConferenceRow {
            org_id,
            id: Uuid::now_v7(),
            participant_id,
            team_id: Some(*team),
            held_on,
            attendees: format!(
                "Arbetsmarknadskonsulent, {owner_name}\nHandläggare, Arbetsförmedlingen\nDeltagaren"
            ),
            minutes: "Deltagaren berättade om sina mål. Alla är överens om att prova arbetsträning i några timmar i veckan och följa upp om en månad.".into(),
            created_at: now,
            created_by: None,
        },
        &[step.id],
    );
    Ok(())
}
