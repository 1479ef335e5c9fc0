//! `stegvis keys status|rotate|retire`: the key file and the keys the database records.

use anyhow::Result;
use clap::Subcommand;

use crate::Storage;

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Show the key ids, which one encrypts and keys the search, and a rotation's progress.
    Status {
        #[command(flatten)]
        storage: Storage,
    },
    /// Add a new key to the key file and re-encrypt every identity number under it, in
    /// batches, beside a running server (resumes where an interrupted run stopped).
    Rotate {
        #[command(flatten)]
        storage: Storage,
    },
    /// Remove a key nothing uses any more from the key file (refused while anything does).
    Retire {
        #[command(flatten)]
        storage: Storage,
        /// The key's id (from `keys status`).
        id: u8,
    },
}

pub(crate) async fn run(command: KeysCommand) -> Result<()> {
    match command {
        KeysCommand::Status { storage } => {
            let app = storage.open().await?;
            let s = app.key_status().await.map_err(crate::explain)?;
            for k in &s.keys {
                let mut roles = Vec::new();
                if k.id == s.encrypt_key {
                    roles.push("krypterar / encrypts");
                }
                if k.id == s.index_key {
                    roles.push("söknyckel / search key");
                }
                if Some(k.id) == s.rotating_to {
                    roles.push("rotation pågår hit / rotating to");
                }
                if k.retired_at.is_some() {
                    roles.push("pensionerad / retired");
                }
                if !k.in_file && k.retired_at.is_none() {
                    roles.push("SAKNAS I FILEN / MISSING FROM THE FILE");
                }
                println!(
                    "nyckel / key {:>3}  {:>9} värden / values  {}",
                    k.id,
                    k.sealed,
                    roles.join(", ")
                );
            }
            match s.rotating_to {
                Some(to) => {
                    let done = s.keys.iter().find(|k| k.id == to).map_or(0, |k| k.sealed);
                    println!(
                        "rotation till nyckel {to}: {done} av {} värden klara / rotation to key {to}: {done} of {} values done",
                        s.sealed_total, s.sealed_total
                    );
                }
                None => println!("ingen rotation pågår / no rotation running"),
            }
            app.close().await;
            Ok(())
        }
        KeysCommand::Rotate { storage } => {
            let app = storage.open().await?;
            let started = std::time::Instant::now();
            let mut last: Option<std::time::Instant> = None;
            let mut shown = -1;
            let r = app
                .rotate_keys(|done, total| {
                    // At most every two seconds: a million values are a thousand batches.
                    let due = last.is_none_or(|t| t.elapsed().as_secs() >= 2) || done >= total;
                    if due && done != shown {
                        shown = done;
                        last = Some(std::time::Instant::now());
                        eprintln!(
                            "omkrypterade / re-encrypted: {done} av / of {} ({} s)",
                            total.max(done),
                            started.elapsed().as_secs()
                        );
                    }
                })
                .await
                .map_err(crate::explain)?;
            println!(
                "nyckel {} krypterar nu alla {} värden; den gamla kan pensioneras med `stegvis keys retire` / key {} now encrypts all {} values; retire the old one with `stegvis keys retire`",
                r.to, r.done, r.to, r.done
            );
            app.close().await;
            Ok(())
        }
        KeysCommand::Retire { storage, id } => {
            let app = storage.open().await?;
            app.retire_key(id).await.map_err(crate::explain)?;
            println!(
                "nyckel {id} är pensionerad och borttagen ur nyckelfilen / key {id} is retired and removed from the key file"
            );
            app.close().await;
            Ok(())
        }
    }
}
