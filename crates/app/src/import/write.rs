//! Running an import: rows checked and written chunk by chunk in one transaction.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) async fn run(
    _app: &crate::App,
    _actor: &crate::Actor,
    _headers: &[String],
    _rows: RowSource<'_>,
    _mapping: &Mapping,
    _options: &ImportOptions,
    _lang: &str,
    _dry_run: bool,
    _progress: &(dyn Fn(usize) + Sync),
) -> crate::Result<ImportSummary> {
    todo!("import engine")
}

pub(super) fn rejected_csv(_sheet: &Sheet, _summary: &ImportSummary, _lang: &str) -> Vec<u8> {
    todo!("rejected rows")
}
