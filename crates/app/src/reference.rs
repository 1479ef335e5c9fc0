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
}
