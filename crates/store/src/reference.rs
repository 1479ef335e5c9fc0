//! Shared code lists: counties and municipalities (SCB codes via JobTech, CC0; see data/README.md).

use crate::{Result, Tx, exec, fetch_all, fetch_scalar};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub county_code: String,
}

impl Tx {
    /// Loads counties and municipalities once (idempotent).
    pub async fn load_reference_data(
        &mut self,
        counties: &[(String, String)],
        municipalities: &[Municipality],
    ) -> Result<()> {
        let present = fetch_scalar!(self, i64, "SELECT COUNT(*) FROM municipalities")?;
        if present as usize >= municipalities.len() {
            return Ok(());
        }
        for (code, name) in counties {
            exec!(
                self,
                "INSERT INTO counties (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING",
                code,
                name
            )?;
        }
        for m in municipalities {
            exec!(
                self,
                "INSERT INTO municipalities (code, name, county_code) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO NOTHING",
                &m.code,
                &m.name,
                &m.county_code
            )?;
        }
        Ok(())
    }

    pub async fn municipalities(&mut self) -> Result<Vec<Municipality>> {
        Ok(fetch_all!(
            self,
            Municipality,
            "SELECT code, name, county_code FROM municipalities ORDER BY name"
        )?)
    }
}
