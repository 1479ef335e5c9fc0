//! Schemas of input fields for the API document, where deriving cannot say what the use cases
//! accept: the same input types serve HTML forms, which send `""` for a field left blank, and
//! the use cases trim every text, so blank (or only spaces) reads as "not given".

use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, SchemaType, Type,
};

/// The characters `str::trim` removes (Unicode `White_Space`), written out because `\s` means
/// other sets in other regex dialects.
const WHITE_SPACE: &str =
    "\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/// Not blank: at least one character that trimming keeps.
fn not_blank() -> String {
    format!("[^{WHITE_SPACE}]")
}

fn blank() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^[{WHITE_SPACE}]*$")))
        .description(Some("Left blank: not given."))
        .into()
}

fn null() -> Schema {
    ObjectBuilder::new().schema_type(Type::Null).into()
}

fn string(format: Option<KnownFormat>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(format.map(SchemaFormat::KnownFormat))
}

/// Required text: not blank, at most `MAX` characters.
pub fn text<const MAX: usize>() -> RefOr<Schema> {
    string(None)
        .min_length(Some(1))
        .max_length(Some(MAX))
        .pattern(Some(not_blank()))
        .into()
}

/// Optional text of at most `MAX` characters; blank or null is none.
pub fn optional_text<const MAX: usize>() -> RefOr<Schema> {
    string(None)
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .max_length(Some(MAX))
        .into()
}

/// A `YYYY-MM-DD` date, blank or null: not given.
pub fn optional_date() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(string(Some(KnownFormat::Date)))
        .item(blank())
        .item(null())
        .into()
}

/// A required `YYYY-MM-DD` date.
pub fn date() -> RefOr<Schema> {
    string(Some(KnownFormat::Date)).into()
}

/// A required id.
pub fn uuid() -> RefOr<Schema> {
    string(Some(KnownFormat::Uuid)).into()
}

/// An id, blank or null: not given.
pub fn optional_uuid() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(string(Some(KnownFormat::Uuid)))
        .item(blank())
        .item(null())
        .into()
}

/// Hours as a person types them: `3`, `2,5` / `2.5` (at most two decimals) or `2:30`.
pub fn hours() -> RefOr<Schema> {
    string(None)
        .pattern(Some(format!(
            "^[{WHITE_SPACE}]*[0-9]+([.,][0-9]{{1,2}}|:[0-5][0-9])?[{WHITE_SPACE}]*$"
        )))
        .into()
}

/// Hours as in [`hours`], blank or null: not given.
pub fn optional_hours() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(hours())
        .item(blank())
        .item(null())
        .into()
}

/// Required text without a length limit: not blank.
pub fn name() -> RefOr<Schema> {
    string(None)
        .min_length(Some(1))
        .pattern(Some(not_blank()))
        .into()
}

/// Text that, when given, must not be blank: at most `MAX` characters; null (or absent)
/// keeps the current value.
pub fn text_or_null<const MAX: usize>() -> RefOr<Schema> {
    OneOfBuilder::new().item(text::<MAX>()).item(null()).into()
}

/// A reference to a named schema (a code list the document lists under its components).
fn reference<T: utoipa::ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
}

/// One of the codes of `T`, blank or null: not given.
pub fn optional_code<T: utoipa::ToSchema>() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(reference::<T>())
        .item(blank())
        .item(null())
        .into()
}

/// One of the codes of `T`, or blank: not given (a text field, never null).
pub fn code_or_blank<T: utoipa::ToSchema>() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(reference::<T>())
        .item(blank())
        .into()
}

/// A list of codes of `T`; blank entries are skipped.
pub fn codes_or_blank<T: utoipa::ToSchema>() -> RefOr<Schema> {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(code_or_blank::<T>())
        .into()
}

/// A whole number from 0 to `MAX`, blank or null: not given.
pub fn optional_count<const MAX: i64>() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(MAX)),
        )
        .item(blank())
        .item(null())
        .into()
}

/// Yes or no (a question that cannot be declined), blank or null: not given.
pub fn optional_yes_no() -> RefOr<Schema> {
    use stegvis_domain::Answer;
    OneOfBuilder::new()
        .item(enumeration(&[Answer::Yes.code(), Answer::No.code()]))
        .item(blank())
        .item(null())
        .into()
}

fn enumeration(codes: &[&str]) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.iter().map(|c| c.to_string())))
}

/// A municipality code (four digits) of the shipped reference list.
pub struct MunicipalityCode;

impl PartialSchema for MunicipalityCode {
    fn schema() -> RefOr<Schema> {
        enumeration(
            &crate::reference::municipalities()
                .iter()
                .map(|m| m.code.as_str())
                .collect::<Vec<_>>(),
        )
        .description(Some(
            "A Swedish municipality code (kommunkod), four digits, e.g. `1293` (Hässleholm).",
        ))
        .into()
    }
}

impl utoipa::ToSchema for MunicipalityCode {}

/// An SSYK 2012 unit group (four digits) of the shipped occupation list.
pub struct SsykCode;

impl PartialSchema for SsykCode {
    fn schema() -> RefOr<Schema> {
        enumeration(
            &crate::reference::occupations()
                .iter()
                .map(|o| o.code.as_str())
                .collect::<Vec<_>>(),
        )
        .description(Some("An SSYK 2012 unit group (yrkesgrupp), four digits."))
        .into()
    }
}

impl utoipa::ToSchema for SsykCode {}

/// A municipality code, blank or null: not given.
pub fn optional_municipality() -> RefOr<Schema> {
    optional_code::<MunicipalityCode>()
}

/// An SSYK code, blank or null: not given.
pub fn optional_ssyk() -> RefOr<Schema> {
    optional_code::<SsykCode>()
}

/// The kinds of record a consent may cover ([`crate::consents::SHAREABLE`]), at least one.
pub fn shareable_kinds() -> RefOr<Schema> {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(enumeration(
            &crate::consents::SHAREABLE
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>(),
        ))
        .min_items(Some(1))
        .into()
}

/// The organisation kinds an employer may have.
pub fn employer_kind() -> RefOr<Schema> {
    use stegvis_domain::OrganisationKind as K;
    enumeration(&[K::Employer.code(), K::SocialEnterprise.code()]).into()
}

/// Where an opening stands.
pub fn opening_status() -> RefOr<Schema> {
    enumeration(&["open", "closed"]).into()
}

/// Where an opening comes from: typed in, or imported from JobTech's job ads.
pub fn opening_source() -> RefOr<Schema> {
    enumeration(&["manual", "jobtech"]).into()
}

/// The common indicators a project reports: those of its programme period.
pub fn indicator_set() -> RefOr<Schema> {
    enumeration(&["esf_plus", "esf_2014_2020"]).into()
}

/// The instrument of a participant's assessment, blank or null: the default.
pub fn participant_instrument() -> RefOr<Schema> {
    let key = stegvis_domain::assessment::instruments::work_readiness().key;
    OneOfBuilder::new()
        .item(enumeration(&[key.as_str()]))
        .item(blank())
        .item(null())
        .into()
}

/// Scores by item key of the participant instrument, each on its item's scale.
pub fn scores() -> RefOr<Schema> {
    let instrument = stegvis_domain::assessment::instruments::work_readiness();
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ))
        .min_properties(Some(1));
    for item in instrument.items() {
        object = object.property(
            &item.key,
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(item.scale.min))
                .maximum(Some(item.scale.max)),
        );
    }
    object.into()
}
