//! The seeds' measurable goals as definitions the reports evaluate (once: a goal's name is
//! unique per project).

use super::{ONGOING, SeedProject};
use stegvis_app::{App, AppError, Result};
use stegvis_domain::enrolment::ExitStatus;
use stegvis_domain::placement::PlacementKind;
use stegvis_domain::report::{GoalDefinition, GoalFilter, Population};
use stegvis_store::report::GoalRow;
use uuid::Uuid;

/// Work trial, work training or work practice: what En väg in promises three in four.
fn work_placements() -> Population {
    Population::Offered {
        kinds: vec![
            PlacementKind::WorkTrial,
            PlacementKind::WorkTraining,
            PlacementKind::WorkPractice,
        ],
    }
}

/// The goals the seed documents state for a project.
fn goals_of(seed: &SeedProject) -> Vec<(String, GoalDefinition)> {
    let mut goals = Vec::new();
    if let Some(planned) = seed.planned {
        goals.push((
            format!("{planned} deltagare"),
            GoalDefinition::Count {
                who: Population::Enrolled,
                target: planned.max(0) as u64,
                filter: Default::default(),
            },
        ));
    }
    match seed.name {
        ONGOING => goals.extend([
            (
                "Minst 75 % erbjuds arbetsprövning, arbetsträning eller praktik".into(),
                GoalDefinition::Share {
                    who: work_placements(),
                    of: Population::Enrolled,
                    percent: 75,
                    filter: Default::default(),
                },
            ),
            (
                "Minst 30 unga vuxna (18–29 år)".into(),
                GoalDefinition::Count {
                    who: Population::Enrolled,
                    target: 30,
                    filter: GoalFilter {
                        min_age: Some(18),
                        max_age: Some(29),
                        ..GoalFilter::default()
                    },
                },
            ),
        ]),
        "En väg in" => goals.push((
            "Minst 75 % erbjuds arbetsprövning, arbetsträning eller praktik".into(),
            GoalDefinition::Share {
                who: work_placements(),
                of: Population::Enrolled,
                percent: 75,
                filter: Default::default(),
            },
        )),
        "Vägar till egenförsörjning" => goals.push((
            "Minst 125 lämnar på väg mot egenförsörjning (anpassad anställning eller arbetsmarknadsutbildning)".into(),
            GoalDefinition::Count {
                who: Population::Left {
                    statuses: vec![ExitStatus::SubsidisedWork, ExitStatus::LabourMarketProgramme],
                },
                target: 125,
                filter: Default::default(),
            },
        )),
        _ => {}
    }
    goals
}

/// Adds the seeds' goals a project does not have yet; true if any was added.
pub(super) async fn seed_goals(app: &App, projects: &[(Uuid, Uuid, SeedProject)]) -> Result<bool> {
    let mut tx = app.catalogue().await?;
    let now = app.now();
    let mut added = false;
    for (project_id, _, seed) in projects {
        for (position, (name, def)) in goals_of(seed).into_iter().enumerate() {
            added |= tx
                .insert_goal(&GoalRow {
                    id: Uuid::now_v7(),
                    project_id: *project_id,
                    name,
                    definition: serde_json::to_string(&def)
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                    deadline: Some(seed.period.1),
                    position: position as i32,
                    created_at: now,
                    version: 1,
                    retired_at: None,
                })
                .await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}
