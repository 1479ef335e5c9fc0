//! `stegvis check` (`App::check_database`): a whole database passes every check; a tally moved
//! behind the application's back (a lost or doubled write) fails the recount.

use crate::support::*;

fn failed(checks: &[stegvis_app::check::Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| !c.ok())
        .map(|c| format!("{}: {:?}", c.what, c.problems))
        .collect()
}

#[tokio::test]
async fn check_passes_on_a_whole_database_and_fails_on_a_damaged_tally() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    // A write through the API keeps every invariant and the tallies.
    let r = t.register(&coach, "701063-2391", "Samira", "Ödmark").await;
    assert!(r.status().is_success(), "{}", r.status());
    let checks = t.app.check_database().await.unwrap();
    assert!(failed(&checks).is_empty(), "{:?}", failed(&checks));
    assert!(
        checks
            .iter()
            .any(|c| c.what.contains("report tallies") && c.what.contains("pairs")),
        "the tallies are among the checks"
    );

    let project: uuid::Uuid = t.project_id(&coach, "En väg in").await.parse().unwrap();
    assert_eq!(t.app.damage_tally(project).await.unwrap(), 1);
    let checks = t.app.check_database().await.unwrap();
    let failed = failed(&checks);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].contains("report tallies") && failed[0].contains(&project.to_string()),
        "{failed:?}"
    );
}

#[tokio::test]
async fn the_seeded_demo_has_the_schema_the_migrations_make() {
    // The demo's bulk load drops the population's indexes and builds them again at its end.
    let t = spawn_app().await;
    assert_eq!(
        t.app.schema_differences().await.unwrap(),
        Vec::<String>::new()
    );
}
