//! `stegvis retention plan|run`: the dry run of what the retention rules make due (counts only,
//! never names), and the erasure run, which must confirm the dry run's token.

use crate::{Storage, explain};
use anyhow::{Context, Result};
use clap::Subcommand;
use time::Date;

#[derive(Subcommand)]
pub(crate) enum RetentionCommand {
    /// Dry run: per rule and project, how many participants a run would erase and the rows per
    /// table, with the token `run` must confirm.
    Plan {
        #[command(flatten)]
        storage: Storage,
        /// The day to plan for (YYYY-MM-DD; today by default).
        #[arg(long)]
        today: Option<String>,
    },
    /// Erase what the dry run listed, in audited batches.
    Run {
        #[command(flatten)]
        storage: Storage,
        #[arg(long)]
        today: Option<String>,
        /// The token the dry run printed: nothing is erased if what is due changed since.
        #[arg(long)]
        confirm: String,
    },
}

fn day(app: &stegvis_app::App, today: Option<&str>) -> Result<Date> {
    match today {
        None => Ok(app.today()),
        Some(s) => Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("--today {s}: skriv / write YYYY-MM-DD")),
    }
}

pub(crate) async fn run(command: RetentionCommand) -> Result<()> {
    match command {
        RetentionCommand::Plan { storage, today } => {
            let app = storage.open().await?;
            let today = day(&app, today.as_deref())?;
            let plan = app.operator_retention_plan(today).await.map_err(explain)?;
            for g in &plan.groups {
                let rule = match g.rule.id {
                    Some(id) => format!("regel / rule {id}"),
                    None => "standardregel / default rule".to_owned(),
                };
                println!(
                    "{}  {} ({}, {} år / years från / from {}, förfallen efter / due after {})",
                    g.project_name,
                    rule,
                    g.rule.record_kind,
                    g.rule.years,
                    g.rule.anchor.code(),
                    g.due_after
                );
                println!("    deltagare / participants: {}", g.participants);
                for (table, n) in &g.rows {
                    println!("    {table}: {n}");
                }
            }
            println!(
                "{} deltagare gallras / participants would be erased on {}.",
                plan.participants, plan.today
            );
            println!("token: {}", plan.token);
            app.close().await;
            Ok(())
        }
        RetentionCommand::Run {
            storage,
            today,
            confirm,
        } => {
            let app = storage.open().await?;
            let today = day(&app, today.as_deref())?;
            let out = app
                .operator_retention_run(today, &confirm)
                .await
                .map_err(explain)?;
            for (table, n) in &out.rows {
                println!("    {table}: {n}");
            }
            println!(
                "{} deltagare gallrade / participants erased (run {}).",
                out.participants, out.run_id
            );
            app.close().await;
            Ok(())
        }
    }
}
