//! Participant use cases: register and enrol, read, search.

use crate::enrolments::{BaselineInput, EnrolmentView, new_row, set_baseline};
use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::participant::{IdentityMode, SEARCH_KEY_VERSION, fold_for_search, search_key};
use stegvis_domain::{Gender, IdentityInput, IdentityKind, IdentityNumber, SealedIdentity};
use stegvis_store::participant::{ParticipantQuery, ParticipantRow};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new participant and their first enrolment, as typed in the form or sent as JSON.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RegisterInput {
    /// `number` (default), `protected` or `none`.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::participant::IdentityMode>)]
    pub identity_mode: Option<String>,
    /// Personnummer or samordningsnummer: `YYMMDD-NNNN`, `YYMMDD+NNNN` or `YYYYMMDDNNNN`.
    pub identity_number: String,
    /// `YYYY-MM-DD`, for someone without a number (the funder's indicators need the age);
    /// with a number, the date comes from it.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub birth_date: Option<String>,
    #[schema(schema_with = crate::openapi::text::<100>, required = true)]
    pub given_name: String,
    #[schema(schema_with = crate::openapi::text::<100>, required = true)]
    pub family_name: String,
    /// `woman`, `man` or `non_binary`.
    #[schema(value_type = stegvis_domain::Gender, required = true)]
    pub gender: String,
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub project_id: String,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub enrolled_on: String,
    pub baseline: BaselineInput,
    /// Why someone outside the project's target group is enrolled anyway, where the project
    /// allows exceptions.
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub eligibility_exception: Option<String>,
}

impl std::fmt::Debug for RegisterInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names and numbers never reach logs.
        write!(
            f,
            "RegisterInput(project {:?}, <redacted>)",
            self.project_id
        )
    }
}

/// A participant as shown to those allowed to see them.
#[derive(Clone, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: Uuid,
    pub org_id: Uuid,
    /// `number`, `protected` or `none`.
    #[schema(value_type = stegvis_domain::participant::IdentityMode)]
    pub identity_mode: String,
    #[schema(value_type = Option<stegvis_domain::IdentityKind>)]
    pub identity_kind: Option<IdentityKind>,
    /// `YYYYMMDD-NNNN`, only in single-record reads.
    pub identity_number: Option<String>,
    pub birth_date: Option<Date>,
    pub given_name: String,
    pub family_name: String,
    #[schema(value_type = stegvis_domain::Gender)]
    pub gender: Gender,
}

/// A participant with their enrolments.
#[derive(Clone, Serialize, ToSchema)]
pub struct ParticipantDetail {
    pub participant: ParticipantView,
    pub enrolments: Vec<EnrolmentView>,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match; counting stops after 1,000 (or the end of the page, if further).
    pub total: i64,
    /// There are more matches than `total` ("more than 1,000").
    pub total_is_lower_bound: bool,
    pub limit: i64,
    pub offset: i64,
}

fn view(row: &ParticipantRow, identity_number: Option<String>) -> ParticipantView {
    ParticipantView {
        id: row.id,
        org_id: row.org_id,
        identity_mode: row.identity_mode.code().to_owned(),
        identity_kind: row.identity.as_ref().map(|i| i.kind),
        identity_number,
        birth_date: row.birth_date,
        given_name: row.given_name.clone(),
        family_name: row.family_name.clone(),
        gender: row.gender,
    }
}

pub(crate) fn name_field(field: &str, value: &str, errors: &mut Vec<FieldError>) -> String {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        errors.push(FieldError::new(
            field,
            if field == "given_name" {
                Text::new("Skriv förnamnet.", "Enter the given name.")
            } else {
                Text::new("Skriv efternamnet.", "Enter the family name.")
            },
        ));
    } else if value.chars().count() > 100 {
        errors.push(FieldError::new(
            field,
            Text::new(
                "Namnet får vara högst 100 tecken.",
                "The name can be at most 100 characters.",
            ),
        ));
    }
    v
}

/// Who a new participant is: identity, names and gender.
#[derive(Clone, Copy)]
pub(crate) struct Person<'a> {
    pub identity: &'a IdentityInput,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub gender: Gender,
}

impl App {
    /// The identity number of participant `id`, opened from its stored form; one that cannot be
    /// read is an error that says so, never "no number".
    pub(crate) fn open_identity(
        &self,
        sealed: &SealedIdentity,
        id: Uuid,
    ) -> Result<IdentityNumber> {
        let today = self.today();
        self.with_fresh_ring(&sealed.ciphertext, |ring| sealed.open(ring, id, today).ok())
            .ok_or_else(|| {
                AppError::Unreadable(Text::new(
                    "Ett sparat personnummer kan inte läsas (fel nyckel eller skadat värde).",
                    "A stored identity number cannot be read (wrong key or a damaged value).",
                ))
            })
    }

    /// Builds a participant row with the identity number encrypted and hashed.
    pub(crate) fn participant_row(
        &self,
        keys: &stegvis_crypto::KeyRing,
        id: Uuid,
        org_id: Uuid,
        person: &Person<'_>,
        actor: Option<Uuid>,
    ) -> ParticipantRow {
        let Person {
            identity,
            given_name: given,
            family_name: family,
            gender,
        } = *person;
        let now = self.now();
        let number = match identity {
            IdentityInput::Number(n) => Some(n),
            _ => None,
        };
        ParticipantRow {
            org_id,
            id,
            identity_mode: identity.mode(),
            identity: number.map(|n| SealedIdentity::seal(keys, n, id)),
            birth_date: number.map(IdentityNumber::birth_date),
            given_name: given.to_owned(),
            family_name: family.to_owned(),
            search_name: search_key(given, family),
            gender,
            created_at: now,
            created_by: actor,
            updated_at: now,
        }
    }

    /// Registers a new participant in the actor's organisation and enrols them in a project.
    pub async fn register_participant(
        &self,
        actor: &Actor,
        input: &RegisterInput,
    ) -> Result<ParticipantDetail> {
        self.check_may_create(actor, RecordKind::Participant)
            .await?;
        let mut errors = Vec::new();
        let mode = match input
            .identity_mode
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            None => IdentityMode::Number,
            Some(m) => IdentityMode::from_code(m).unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    "identity_mode",
                    Text::new("Välj ett av alternativen.", "Choose one of the options."),
                ));
                IdentityMode::Number
            }),
        };
        let identity = match IdentityInput::parse(mode, &input.identity_number, self.today()) {
            Ok(i) => Some(i),
            Err(e) => {
                errors.push(FieldError::new(
                    "identity_number",
                    Text::from_messages(|l| e.message(l)),
                ));
                None
            }
        };
        let given = name_field("given_name", &input.given_name, &mut errors);
        let family = name_field("family_name", &input.family_name, &mut errors);
        let gender = Gender::from_code(input.gender.trim()).map_err(|_| {
            errors.push(FieldError::new(
                "gender",
                Text::new("Välj kön.", "Choose gender."),
            ));
        });
        let projects = self.enrollable_projects(actor).await?;
        let enrolment = self.check_enrolment(
            &projects,
            &input.project_id,
            &input.enrolled_on,
            &mut errors,
        );
        let baseline = input.baseline.parse("baseline.", &mut errors);
        let typed_birth = match input.birth_date.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() && !matches!(identity, Some(IdentityInput::Number(_))) => {
                let d = crate::input::parse_date("birth_date", v, &mut errors);
                let today = self.today();
                match d {
                    Some(d) if d > today || d.year() < today.year() - 110 => {
                        errors.push(FieldError::new(
                            "birth_date",
                            Text::new(
                                "Födelsedatumet kan inte stämma. Kontrollera året.",
                                "That date of birth cannot be right. Check the year.",
                            ),
                        ));
                        None
                    }
                    d => d,
                }
            }
            _ => None,
        };
        let exception = match enrolment {
            Some((project_id, enrolled_on)) => {
                let rules = self
                    .target_group_of(actor, Some(project_id))
                    .await?
                    .unwrap_or_default();
                let birth = match &identity {
                    Some(IdentityInput::Number(n)) => Some(n.birth_date()),
                    _ => typed_birth,
                };
                let age_field = match mode {
                    IdentityMode::Number => "identity_number",
                    _ => "birth_date",
                };
                crate::eligibility::check(
                    &rules,
                    birth,
                    enrolled_on,
                    &baseline,
                    input.eligibility_exception.as_deref(),
                    age_field,
                    &mut errors,
                )
            }
            None => None,
        };
        let (Some(identity), Ok(gender), Some((project_id, enrolled_on)), true) =
            (identity, gender, enrolment, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };

        let id = Uuid::now_v7();
        let mut tx = self
            .open_new_record(actor, id, RecordKind::Participant)
            .await?;
        let person = Person {
            identity: &identity,
            given_name: &given,
            family_name: &family,
            gender,
        };
        // Sealed under the keys the database names now (a rotation may have begun).
        let keys = self.sealing_keys(&mut tx).await?;
        let mut row =
            self.participant_row(&keys.ring, id, actor.org_id, &person, Some(actor.user_id));
        if row.birth_date.is_none() {
            row.birth_date = typed_birth;
        }
        if let IdentityInput::Number(n) = &identity
            && tx
                .participant_by_identity(actor.org_id, &keys.hashes(n))
                .await?
                .is_some()
        {
            let err = AppError::field(
                "identity_number",
                Text::new(
                    "Det finns redan en deltagare med det här numret. Sök fram personen och skriv in hen i projektet därifrån.",
                    "A participant with this number already exists. Find the person and enrol them from their page.",
                ),
            );
            return reject(tx, err).await;
        }
        tx.insert_participant(&row).await?;
        let subject = crate::policy::Subject {
            participant_id: id,
            org_id: actor.org_id,
        };
        let mut tx = self
            .audit_also(tx, actor, subject, RecordKind::Enrolment, Action::Write)
            .await?;
        let mut enrolment = new_row(actor.org_id, id, project_id, enrolled_on, actor, self.now());
        set_baseline(&mut enrolment, &baseline);
        tx.insert_enrolment(&enrolment).await?;
        let mut tx = self
            .keep_exception(tx, actor, subject, enrolment.id, exception)
            .await?;
        let enrolment = self.enrolment_view(&mut tx, enrolment).await?;
        self.commit(tx).await?;
        let number = match &identity {
            IdentityInput::Number(n) => Some(n.formatted()),
            _ => None,
        };
        Ok(ParticipantDetail {
            participant: view(&row, number),
            enrolments: vec![enrolment],
        })
    }

    /// One participant with their enrolments.
    pub async fn participant(&self, actor: &Actor, id: Uuid) -> Result<ParticipantDetail> {
        let (mut tx, subject) = self
            .open_record(actor, id, RecordKind::Participant, Action::Read, None)
            .await?;
        let row = tx.participant(id).await?.ok_or(AppError::NotFound)?;
        let number = match &row.identity {
            Some(sealed) => Some(self.open_identity(sealed, id)?.formatted()),
            None => None,
        };
        let rows = if self
            .audit_also_if_allowed(&mut tx, actor, subject, RecordKind::Enrolment, Action::Read)
            .await?
        {
            tx.enrolments_of(id).await?
        } else {
            Vec::new()
        };
        let mut enrolments = Vec::with_capacity(rows.len());
        for e in rows {
            enrolments.push(self.enrolment_view(&mut tx, e).await?);
        }
        self.commit(tx).await?;
        Ok(ParticipantDetail {
            participant: view(&row, number),
            enrolments,
        })
    }

    /// Participants the actor may see, by name fragment or exact identity number; `q` empty lists all.
    pub async fn search_participants(
        &self,
        actor: &Actor,
        q: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ParticipantView>> {
        let q = q.trim();
        let limit = limit.clamp(1, 200);
        let offset = offset.max(0);
        let mut query = ParticipantQuery {
            limit,
            offset,
            ..Default::default()
        };
        // The search term itself may be an identity number: only how it was searched is audited.
        let mut number = None;
        let how = if q.is_empty() {
            "list"
        } else if let Ok(n) = IdentityNumber::parse(q, self.today()) {
            number = Some(n);
            "by identity number"
        } else {
            // Folded as the stored names are, so neither case nor accents matter.
            query.name = Some(fold_for_search(q));
            "by name"
        };
        let (mut tx, visibility) = self
            .open_search(actor, RecordKind::Participant, Some(how.to_owned()))
            .await?;
        if let Some(n) = &number {
            // Every search key in use: during a key rotation a number's hash may be under
            // either the old or the new key.
            let mut hashes = self.lookup_keys(&mut tx).await?.hashes(n).into_iter();
            query.identity_hash = hashes.next();
            query.other_identity_hashes = hashes.collect();
        }
        let found = tx.search_page(visibility, &query).await?;
        self.commit(tx).await?;
        Ok(Page {
            items: found.rows.iter().map(|r| view(r, None)).collect(),
            total: found.total,
            total_is_lower_bound: found.more,
            limit,
            offset,
        })
    }
}

/// Participants refolded per transaction when the folding changed.
const REFOLD_BATCH: i64 = 5_000;

impl App {
    /// Brings every stored `search_name` to the current folding ([`SEARCH_KEY_VERSION`]), at
    /// start, in batches: each an audited system job, since names are personal data. A start
    /// that stops half-way goes on from the beginning next time; rows already folded are
    /// skipped unchanged.
    pub async fn ensure_search_keys(&self) -> Result<()> {
        if self.store.search_folding_version().await? >= SEARCH_KEY_VERSION {
            return Ok(());
        }
        tracing::info!("refolding the participants' search names");
        let mut after = Uuid::nil();
        let mut changed = 0_usize;
        loop {
            let mut tx = self
                .system_job("search names refolded for search", None)
                .await?;
            let batch = tx.names_after(after, REFOLD_BATCH).await?;
            for p in &batch {
                let folded = search_key(&p.given_name, &p.family_name);
                if folded != p.search_name {
                    tx.set_search_name(p.id, &folded).await?;
                    changed += 1;
                }
            }
            let done = (batch.len() as i64) < REFOLD_BATCH;
            if done {
                tx.set_search_folding_version(SEARCH_KEY_VERSION).await?;
            }
            after = batch.last().map_or(after, |p| p.id);
            self.commit(tx).await?;
            if done {
                break;
            }
        }
        tracing::info!(changed, "search names refolded");
        Ok(())
    }
}

impl std::fmt::Debug for ParticipantView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("ParticipantView")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ParticipantDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("ParticipantDetail")
            .field("participant", &self.participant)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::{App, FixedClock, KeyRing};
    use std::sync::Arc;
    use stegvis_domain::Gender;
    use stegvis_domain::participant::IdentityMode;
    use stegvis_store::organisation::OrganisationRow;
    use stegvis_store::participant::{ParticipantQuery, ParticipantRow, Visibility};
    use uuid::Uuid;

    /// A database from before the folding changed: its names are refolded at the next start,
    /// and an accent no longer hides a name.
    #[tokio::test]
    async fn names_stored_with_an_older_folding_are_refolded_at_start() {
        let now = time::macros::datetime!(2026-12-06 10:00 UTC);
        let dir = std::env::temp_dir().join(format!("stegvis-refold-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let open = || {
            App::open(
                &url,
                KeyRing::from_bytes([1; 32]),
                Arc::new(FixedClock::new(now)),
            )
        };
        let app = open().await.unwrap();
        let org = Uuid::now_v7();
        let mut tx = app.store.begin().await.unwrap();
        tx.insert_organisation(&OrganisationRow {
            id: org,
            name: "Förr".into(),
            kind: "municipal_unit".into(),
            municipality_code: None,
            created_at: now,
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = app
            .system_job("test: an old database", Some(org))
            .await
            .unwrap();
        for (given, family, old) in [
            ("Renée", "Müller", "renée müller"),
            ("Åsa", "Öberg", "åsa öberg"),
        ] {
            tx.insert_participant(&ParticipantRow {
                org_id: org,
                id: Uuid::now_v7(),
                identity_mode: IdentityMode::NoNumber,
                identity: None,
                birth_date: None,
                given_name: given.into(),
                family_name: family.into(),
                search_name: old.into(),
                gender: Gender::Woman,
                created_at: now,
                created_by: None,
                updated_at: now,
            })
            .await
            .unwrap();
        }
        tx.set_search_folding_version(1).await.unwrap();
        app.commit(tx).await.unwrap();
        let found = async |app: &App, name: &str| {
            let mut tx = app.system_job("test: search", Some(org)).await.unwrap();
            let query = ParticipantQuery {
                name: Some(name.into()),
                limit: 10,
                ..Default::default()
            };
            let (_, total) = tx
                .search_participants(Visibility::Organisation(org), &query)
                .await
                .unwrap();
            app.commit(tx).await.unwrap();
            total
        };
        assert_eq!(found(&app, "renee muller").await, 0, "the old folding");
        app.close().await;
        let app = open().await.unwrap();
        assert_eq!(found(&app, "renee muller").await, 1);
        assert_eq!(found(&app, "renée").await, 0, "stored without accents");
        assert_eq!(found(&app, "åsa öberg").await, 1, "å and ö kept");
        assert_eq!(app.store.search_folding_version().await.unwrap(), 2);
    }
}
