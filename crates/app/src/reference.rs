//! Reference data shipped with Stegvis (data/README.md gives sources and licences).

use crate::{App, Result};
use stegvis_store::reference::Municipality;

const COUNTIES: &str = include_str!("../../../data/counties.csv");
const MUNICIPALITIES: &str = include_str!("../../../data/municipalities.csv");

/// Rows of a simple CSV file without quoted commas (true of these files), header skipped.
fn rows(csv: &str) -> impl Iterator<Item = Vec<&str>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').collect())
}

pub fn municipalities() -> Vec<Municipality> {
    rows(MUNICIPALITIES)
        .map(|r| Municipality {
            code: r[0].to_owned(),
            name: r[1].to_owned(),
            county_code: r[2].to_owned(),
        })
        .collect()
}

/// Municipality code by name (e.g. "Hässleholm" → "1293").
pub fn municipality_code(name: &str) -> Option<String> {
    municipalities()
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| m.code)
}

pub(crate) async fn load(app: &App) -> Result<()> {
    let counties: Vec<(String, String)> = rows(COUNTIES)
        .map(|r| (r[0].to_owned(), r[1].to_owned()))
        .collect();
    let mut tx = app.store.begin().await?;
    tx.load_reference_data(&counties, &municipalities()).await?;
    tx.commit().await?;
    Ok(())
}

const SSYK: &str = include_str!("../../../data/ssyk2012.csv");

/// An SSYK 2012 occupation group (the four-digit level openings are coded with).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Occupation {
    pub code: String,
    pub label_sv: String,
}

/// The SSYK 2012 unit groups (four digits), in code order. Parsed once.
pub fn occupations() -> &'static [Occupation] {
    static ALL: std::sync::OnceLock<Vec<Occupation>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut r = csv::Reader::from_reader(SSYK.as_bytes());
        let mut out: Vec<Occupation> = r
            .records()
            .filter_map(|rec| rec.ok())
            .filter(|rec| rec.get(0) == Some("4"))
            .filter_map(|rec| {
                Some(Occupation {
                    code: rec.get(1)?.to_owned(),
                    label_sv: rec.get(2)?.to_owned(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    })
}

/// The occupation of a four-digit SSYK 2012 code.
pub fn occupation(code: &str) -> Option<&'static Occupation> {
    let all = occupations();
    all.binary_search_by(|o| o.code.as_str().cmp(code))
        .ok()
        .map(|i| &all[i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn ships_all_290_municipalities() {
        let all = super::municipalities();
        assert_eq!(all.len(), 290);
        assert_eq!(
            super::municipality_code("Hässleholm").as_deref(),
            Some("1293")
        );
        assert_eq!(all.iter().filter(|m| m.county_code == "23").count(), 8);
    }

    #[test]
    fn ssyk_unit_groups_are_loaded() {
        let all = super::occupations();
        assert_eq!(
            all.len(),
            400,
            "the unit groups in the JobTech taxonomy file"
        );
        assert!(all.iter().all(|o| o.code.len() == 4));
        assert_eq!(super::occupation("0110").unwrap().label_sv, "Officerare");
        assert!(
            super::occupation("011").is_none(),
            "three digits is a minor group"
        );
    }
}
