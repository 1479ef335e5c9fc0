//! `stegvis check`: prints each check in plain words and fails on any problem.

use crate::Storage;
use anyhow::{Result, bail};

pub(crate) async fn run(storage: &Storage) -> Result<()> {
    // Checking must not create an empty database where none was.
    if storage.database_url.is_none() {
        let file = storage.data_dir.join("stegvis.db");
        if !file.exists() {
            bail!(
                "det finns ingen databas i / there is no database at {}",
                file.display()
            );
        }
    }
    let checks = stegvis_app::check::check_database(&storage.url()?).await?;
    let mut failed = 0;
    for c in &checks {
        if c.ok() {
            println!("ok    {}", c.what);
        } else {
            failed += 1;
            println!("FAIL  {}", c.what);
            for p in &c.problems {
                println!("        {p}");
            }
        }
    }
    if stegvis_app::check::server_owns_trail(&storage.url()?).await? {
        println!(
            "warn  servern äger spåret: utlösaren kan tas bort (kör servern som en körroll, se \
             `stegvis migrate --runtime-role`) / the server owns the audit trail: its trigger can be \
             dropped (run the server as a runtime role)"
        );
    }
    if failed > 0 {
        bail!(
            "{failed} av {} kontroller hittade fel / {failed} of {} checks found problems",
            checks.len(),
            checks.len()
        );
    }
    println!(
        "Databasen är hel / the database is whole: {} checks passed.",
        checks.len()
    );
    Ok(())
}
