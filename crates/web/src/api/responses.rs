//! The error answers of the API as the document lists them: each an RFC 9457 problem
//! (`application/problem+json`), one type per status so an operation names exactly those it
//! can give, e.g. `responses((status = 200, body = X), Unauthorized, NotFound)`.

use std::collections::BTreeMap;
use utoipa::IntoResponses;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

fn problem(status: u16, description: &str) -> BTreeMap<String, RefOr<Response>> {
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    BTreeMap::from([(status.to_string(), RefOr::T(response))])
}

/// 401: every operation needs a bearer token (or the browser session).
pub struct Unauthorized;

impl IntoResponses for Unauthorized {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem(
            401,
            "Not logged in: no valid bearer token (or browser session).",
        )
    }
}

/// 403: the caller's role may not use the operation at all.
pub struct Forbidden;

impl IntoResponses for Forbidden {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem(403, "The caller's role may not use this operation.")
    }
}

/// 404: no such record, or one the caller may not see (the two are never told apart).
pub struct NotFound;

impl IntoResponses for NotFound {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem(
            404,
            "No such record, or one the caller may not see: the answer is the same, so it does not tell whether the record exists.",
        )
    }
}

/// 409: the record changed since it was read, or its state does not allow the change.
pub struct Conflict;

impl IntoResponses for Conflict {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem(
            409,
            "The record changed since the given `version` was read, or its state does not allow the change.",
        )
    }
}

/// 422: invalid input; `errors` names every invalid field.
pub struct Invalid;

impl IntoResponses for Invalid {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem(
            422,
            "Invalid input: `errors` names each invalid field (`body` for a body that is not the JSON asked for, the parameter's name for a query parameter). Nothing was saved.",
        )
    }
}

/// A file to download (XLSX): bytes, not JSON.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                utoipa::openapi::schema::KnownFormat::Binary,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

/// 429: too many wrong passwords for the account; it waits 15 minutes.
pub struct TooManyAttempts;

impl IntoResponses for TooManyAttempts {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problem(
            429,
            "Too many wrong passwords for the account in 15 minutes (log-ins count too): wait and try again.",
        )
    }
}

/// 503: every database connection stayed taken for the whole wait, or the audit writer could
/// not take the events in time (`StoreError::Busy`): nothing was done; try again after
/// `Retry-After` seconds.
pub struct Busy;

impl IntoResponses for Busy {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        use utoipa::openapi::HeaderBuilder;
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let mut responses = problem(
            503,
            "Busy: every database connection stayed taken for the whole wait, or the audit trail could not take the request's events in time. Nothing was done (a write was rolled back); try again after `Retry-After` seconds.",
        );
        if let Some(RefOr::T(response)) = responses.get_mut("503") {
            response.headers.insert(
                "Retry-After".to_owned(),
                HeaderBuilder::new()
                    .schema(ObjectBuilder::new().schema_type(Type::Integer))
                    .description(Some("Seconds to wait before trying again."))
                    .build(),
            );
        }
        responses
    }
}
