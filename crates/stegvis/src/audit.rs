//! `stegvis audit verify`: walks the audit trail's chain, names the first event that was
//! changed, removed or inserted, prints the head to keep outside the system, and exits non-zero
//! on any problem. Each verification is stored and audited.

use crate::Storage;
use anyhow::{Result, bail};

pub(crate) async fn verify(storage: &Storage) -> Result<()> {
    let app = storage.open().await?;
    let v = app.verify_trail(None).await;
    app.close().await;
    let v = v.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Kontrollerade / checked: {} händelser / events", v.events);
    println!(
        "Huvud / head: nr / number {} {}",
        v.head_pos,
        v.head_hash.as_deref().unwrap_or("-")
    );
    if let Some(p) = &v.first_problem {
        println!("Första felet / first problem:");
        println!("  {}", p.sv);
        println!("  {}", p.en);
        bail!(
            "granskningsspåret är inte oförändrat: {} fel / the audit trail is not intact: {} problems",
            v.problems,
            v.problems
        );
    }
    println!("Granskningsspåret är oförändrat / the audit trail is intact.");
    Ok(())
}
