//! Import of job ads in the JobTech (Arbetsförmedlingen) JSON format, one ad per line, from a
//! file: no network. Each ad becomes an opening (a vacancy) at its employer's workplace; the
//! employer and workplace are created when new. An ad imported before is skipped, and a removal
//! record (`"removed": true`, as the JobStream API sends them) closes the opening it names.

use crate::{App, Result};
use serde_json::Value;
use stegvis_domain::placement::PlacementKind;
use stegvis_store::organisation::OrganisationRow;
use stegvis_store::placement::{OpeningRow, WorkplaceRow};
use uuid::Uuid;

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    pub already_there: usize,
    /// Removal records that closed an opening imported before.
    pub closed: usize,
    /// Removal records for ads never imported (nothing to do).
    pub removals_without_ad: usize,
    /// Line number (from 1) and why the line was not imported.
    pub rejected: Vec<(usize, String)>,
}

/// The fields an opening needs, read from one ad.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ad {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub workplace: String,
    pub municipality_code: Option<String>,
    pub address: Option<String>,
    pub ssyk: Option<String>,
    pub hours_per_week: Option<i32>,
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut at = v;
    for p in path {
        at = at.get(p)?;
    }
    at.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// One line of the file: an ad, or the removal of one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Line {
    Ad(Ad),
    Removed(String),
}

/// The ad id, sent as text or as a number.
fn ad_id(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one line; the reason when it is neither an ad we can use nor a removal.
pub(crate) fn parse(line: &str) -> std::result::Result<Line, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let id = ad_id(&v).ok_or("no id")?;
    if v.get("removed").and_then(Value::as_bool) == Some(true) {
        return Ok(Line::Removed(id));
    }
    let title = text(&v, &["headline"]).ok_or("no headline")?;
    let employer = text(&v, &["employer", "name"]).ok_or("no employer name")?;
    let workplace = text(&v, &["employer", "workplace"]).unwrap_or_else(|| employer.clone());
    let ssyk = text(&v, &["occupation_group", "legacy_ams_taxonomy_id"])
        .filter(|c| crate::reference::occupation(c).is_some());
    // Scope of work in per cent of full time (40 hours).
    let hours_per_week = v
        .get("scope_of_work")
        .and_then(|s| {
            s.get("max")
                .and_then(Value::as_i64)
                .or_else(|| s.get("min").and_then(Value::as_i64))
        })
        .filter(|p| (1..=100).contains(p))
        .map(|p| ((p * 40 + 50) / 100) as i32);
    let municipality_code = text(&v, &["workplace_address", "municipality_code"]).filter(|c| {
        crate::reference::municipalities()
            .iter()
            .any(|m| &m.code == c)
    });
    let address = text(&v, &["workplace_address", "street_address"]);
    Ok(Line::Ad(Ad {
        id,
        title: title.chars().take(200).collect(),
        employer: employer.chars().take(200).collect(),
        workplace: workplace.chars().take(200).collect(),
        municipality_code,
        address,
        ssyk,
        hours_per_week,
    }))
}

impl App {
    /// Imports ads, one JSON object per line; all accepted ads in one transaction.
    pub async fn import_job_ads(&self, jsonl: &str) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        let mut lines = Vec::new();
        for (n, line) in jsonl.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match parse(line) {
                Ok(l) => lines.push(l),
                Err(why) => report.rejected.push((n + 1, why)),
            }
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        for line in lines {
            let ad = match line {
                Line::Ad(ad) => ad,
                Line::Removed(id) => {
                    match tx.opening_by_external("jobtech", &id).await? {
                        Some(o) => {
                            tx.close_opening(o.id).await?;
                            report.closed += 1;
                        }
                        None => report.removals_without_ad += 1,
                    }
                    continue;
                }
            };
            if tx.opening_by_external("jobtech", &ad.id).await?.is_some() {
                report.already_there += 1;
                continue;
            }
            // An ad's employer is an employer: a project partner with the same name (say, a
            // state agency advertising a job) gets an employer record of its own.
            let existing = tx.organisation_by_name(&ad.employer).await?;
            let employer_name = match &existing {
                Some(o) if o.kind != "employer" && o.kind != "social_enterprise" => {
                    format!("{} (arbetsgivare)", ad.employer)
                }
                _ => ad.employer.clone(),
            };
            let found = match existing.filter(|o| o.name == employer_name) {
                Some(o) => Some(o),
                None => tx.organisation_by_name(&employer_name).await?,
            };
            let employer = match found {
                Some(o) => o.id,
                None => {
                    let o = OrganisationRow {
                        id: Uuid::now_v7(),
                        name: employer_name,
                        kind: "employer".into(),
                        municipality_code: ad.municipality_code.clone(),
                        created_at: now,
                    };
                    tx.insert_organisation(&o).await?;
                    o.id
                }
            };
            let existing = tx
                .workplaces_of(employer)
                .await?
                .into_iter()
                // One workplace per name and municipality: a chain has many.
                .find(|w| w.name == ad.workplace && w.municipality_code == ad.municipality_code);
            let workplace = match existing {
                Some(w) => w.id,
                None => {
                    let w = WorkplaceRow {
                        id: Uuid::now_v7(),
                        employer_org_id: employer,
                        name: ad.workplace.clone(),
                        address: ad.address.clone(),
                        municipality_code: ad.municipality_code.clone(),
                        accessibility: None,
                        contact_name: None,
                        contact_phone: None,
                        contact_email: None,
                        created_at: now,
                        created_by: None,
                    };
                    tx.insert_workplace(&w).await?;
                    w.id
                }
            };
            tx.insert_opening(&OpeningRow {
                id: Uuid::now_v7(),
                workplace_id: workplace,
                title: ad.title,
                kind: PlacementKind::RegularEmployment.code().into(),
                ssyk_code: ad.ssyk,
                hours_per_week: ad.hours_per_week,
                requirements: None,
                adaptations: None,
                min_swedish: None,
                can_adapt: String::new(),
                status: "open".into(),
                source: "jobtech".into(),
                external_id: Some(ad.id),
                created_at: now,
                created_by: None,
            })
            .await?;
            report.imported += 1;
        }
        tx.commit().await?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::{Line, parse};

    #[test]
    fn the_sample_ads_parse() {
        let sample = include_str!("../../../data/jobtech_ads_sample.jsonl");
        let lines: Vec<Line> = sample.lines().map(|l| parse(l).unwrap()).collect();
        let ads: Vec<_> = lines
            .iter()
            .filter_map(|l| match l {
                Line::Ad(a) => Some(a),
                Line::Removed(_) => None,
            })
            .collect();
        assert_eq!((lines.len(), ads.len()), (24, 10), "10 ads and 14 removals");
        assert_eq!(lines[10], Line::Removed("23800448".into()));
        let first = ads[0];
        assert_eq!(first.id, "23905080");
        assert_eq!(first.title, "Erfaren trädgårdsarbetare");
        assert_eq!(first.ssyk.as_deref(), Some("6112"));
        assert_eq!(first.municipality_code.as_deref(), Some("2280"));
        assert_eq!(first.hours_per_week, Some(40));
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(parse("{").unwrap_err().starts_with("not JSON"));
        assert_eq!(parse(r#"{"id": "1"}"#).unwrap_err(), "no headline");
        let half = r#"{"id": "1", "headline": "Kock", "employer": {"name": "Krogen"}, "scope_of_work": {"min": 50, "max": 50}, "occupation_group": {"legacy_ams_taxonomy_id": "0000"}}"#;
        let Line::Ad(ad) = parse(half).unwrap() else {
            panic!("an ad")
        };
        assert_eq!((ad.hours_per_week, ad.ssyk), (Some(20), None));
        assert_eq!(ad.workplace, "Krogen");
    }
}
