//! Taking Stegvis into use: the first start (`/setup/{code}`), choosing a password with a
//! one-time code (`/activate`), each user's own account and API tokens (`/account`), and the
//! administration of people and organisations (`/admin/…`). Every decision is the policy's, in
//! the use cases; these pages only show what they answer.

use super::{Chrome, Id, MessagePage, PageResult, Viewer, Visitor, after_post, render};
use crate::Lang;
use crate::forms::{ErrorView, OptionView, PageForm, Posted, TextField, error_for, error_views};
use crate::session::{SESSION_COOKIE, set_cookie};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use stegvis_app::accounts::{
    ActivateInput, IssuedLink, NewToken, PasswordChange, SetupInput, TokenInput, TokenView,
};
use stegvis_app::organisations::{OrganisationInput, OrganisationUpdate, OrganisationView};
use stegvis_app::policy::{self, Action, Function, Request};
use stegvis_app::users::{AccountChange, InviteInput, UserView};
use stegvis_app::{Actor, App, AppError, FieldError};
use stegvis_domain::{OrganisationKind, Role};
use uuid::Uuid;

/// A select list with its label and error.
pub struct SelectField {
    pub name: String,
    pub label: String,
    pub hint: String,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

impl SelectField {
    fn new(
        name: &str,
        label: &str,
        hint: &str,
        options: Vec<OptionView>,
        errors: &[FieldError],
        lang: Lang,
    ) -> Self {
        SelectField {
            name: name.into(),
            label: label.into(),
            hint: hint.into(),
            options,
            error: error_for(errors, name, lang),
        }
    }
}

fn kind_options(current: &str, l: Lang) -> Vec<OptionView> {
    let mut o = vec![OptionView {
        value: String::new(),
        label: l.t("Välj typ", "Choose a kind").into(),
        checked: current.is_empty(),
    }];
    o.extend(OrganisationKind::ALL.iter().map(|k| OptionView {
        value: k.code().into(),
        label: k.label(l.code()).into(),
        checked: k.code() == current,
    }));
    o
}

fn role_options(current: &str, l: Lang) -> Vec<OptionView> {
    let mut o = vec![OptionView {
        value: String::new(),
        label: l.t("Välj roll", "Choose a role").into(),
        checked: current.is_empty(),
    }];
    o.extend(
        Role::ALL
            .iter()
            .filter(|r| policy::assignable_by_administrator(**r))
            .map(|r| OptionView {
                value: r.code().into(),
                label: r.label(l.code()).into(),
                checked: r.code() == current,
            }),
    );
    o
}

fn role_label(code: &str, l: Lang) -> String {
    Role::from_code(code).map_or(code.to_owned(), |r| r.label(l.code()).to_owned())
}

/// Logs the holder of a new password in and sends them on (a fresh session id).
async fn log_in_and_go(
    app: &App,
    v: &Visitor,
    email: &str,
    password: &str,
    next: &str,
) -> PageResult {
    let session = app.login(email, password, &v.ctx.client).await?;
    if let Some(old) = &v.ctx.session_token {
        let _ = app.logout(old).await;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &session.token, None),
    );
    Ok((headers, Redirect::to(next)).into_response())
}

/// A link that does not work (used, expired, unknown, or setup done): a page that says why.
fn link_refused(v: &Visitor, e: AppError) -> PageResult {
    let AppError::Invalid(errors) = e else {
        return Err(e.into());
    };
    let l = v.lang();
    let body = errors
        .first()
        .map(|e| e.message.get(l.code()).to_owned())
        .unwrap_or_default();
    let page = MessagePage {
        c: v.chrome(""),
        title: l.t("Länken fungerar inte", "The link does not work").into(),
        body,
        link_href: "/login".into(),
        link_text: l.t("Till inloggningen", "To the log-in page").into(),
    };
    Ok((StatusCode::NOT_FOUND, render(&page)).into_response())
}

// ---- The first start. ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    code: String,
    org_fields: Vec<TextField>,
    kind: SelectField,
    admin_fields: Vec<TextField>,
}

fn setup_page(v: &Visitor, code: &str, input: &SetupInput, errors: &[FieldError]) -> SetupPage {
    let l = v.lang();
    SetupPage {
        c: v.chrome(""),
        errors: error_views(errors, l),
        code: code.to_owned(),
        org_fields: vec![TextField::new(
            "organisation_name",
            l.t("Organisationens namn", "The organisation's name"),
            l.t(
                "Till exempel Hässleholms kommun, Arbetsmarknadsenheten.",
                "For example Hässleholms kommun, Arbetsmarknadsenheten.",
            ),
            "text",
            input.organisation_name.clone(),
            errors,
            l,
        )],
        kind: SelectField::new(
            "kind",
            l.t("Typ av organisation", "Kind of organisation"),
            "",
            kind_options(&input.kind, l),
            errors,
            l,
        ),
        admin_fields: vec![
            TextField::new(
                "municipality_code",
                l.t("Kommunkod (frivillig)", "Municipality code (optional)"),
                l.t(
                    "Kommunens fyrsiffriga kod, till exempel 1293 för Hässleholm.",
                    "The municipality's four-digit code, for example 1293 for Hässleholm.",
                ),
                "text",
                input.municipality_code.clone().unwrap_or_default(),
                errors,
                l,
            ),
            TextField::new(
                "name",
                l.t("Ditt namn", "Your name"),
                l.t(
                    "Du blir organisationens första administratör.",
                    "You become the organisation's first administrator.",
                ),
                "text",
                input.name.clone(),
                errors,
                l,
            ),
            TextField::new(
                "email",
                l.t("Din e-postadress", "Your e-mail address"),
                l.t("Du loggar in med den.", "You log in with it."),
                "email",
                input.email.clone(),
                errors,
                l,
            ),
            TextField::new(
                "password",
                l.t("Välj ett lösenord", "Choose a password"),
                l.t(
                    "Minst 12 tecken. En mening eller flera ord är lätt att minnas och svårt att gissa.",
                    "At least 12 characters. A sentence or several words is easy to remember and hard to guess.",
                ),
                "password",
                String::new(),
                errors,
                l,
            ),
            TextField::new(
                "password_again",
                l.t("Skriv lösenordet igen", "Type the password again"),
                "",
                "password",
                String::new(),
                errors,
                l,
            ),
        ],
    }
}

/// `GET /setup/{code}`: the first start's form, while its link works.
pub async fn setup_form(
    State(app): State<App>,
    v: Visitor,
    Path(code): Path<String>,
) -> PageResult {
    if let Err(e) = app.check_setup_link(&code).await {
        return link_refused(&v, e);
    }
    Ok(render(&setup_page(&v, &code, &SetupInput::default(), &[])))
}

/// `POST /setup/{code}`: creates the organisation and its administrator, who is then logged in.
pub async fn setup_submit(
    State(app): State<App>,
    v: Visitor,
    Path(code): Path<String>,
    PageForm(mut input): PageForm<SetupInput>,
) -> PageResult {
    input.token = code.clone();
    match app.setup(&input).await {
        Ok(done) => {
            log_in_and_go(&app, &v, &done.user.email, &input.password, "/admin/users").await
        }
        Err(AppError::Invalid(errors)) => {
            // The link itself failed: nothing on the form can mend it.
            if errors.iter().all(|e| e.field == "token") {
                return link_refused(&v, AppError::Invalid(errors));
            }
            let page = setup_page(&v, &code, &input, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---- Choosing a password with a one-time code. -----------------------------------------------

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage {
    c: Chrome,
    errors: Vec<ErrorView>,
    /// The code from the link, carried hidden; empty: the form asks for it.
    code: String,
    code_field: TextField,
    /// Whose account it is (from a valid link).
    who: String,
    fields: Vec<TextField>,
}

fn activate_page(v: &Visitor, code: &str, who: String, errors: &[FieldError]) -> ActivatePage {
    let l = v.lang();
    ActivatePage {
        c: v.chrome(""),
        errors: error_views(errors, l),
        code: code.to_owned(),
        code_field: TextField::new(
            "code",
            l.t("Aktiveringskod", "Activation code"),
            l.t(
                "Koden du har fått, till exempel ABCDE-FGHJK-MNPQR-STVWX.",
                "The code you were given, for example ABCDE-FGHJK-MNPQR-STVWX.",
            ),
            "text",
            code.to_owned(),
            errors,
            l,
        ),
        who,
        fields: vec![
            TextField::new(
                "password",
                l.t("Välj ett lösenord", "Choose a password"),
                l.t(
                    "Minst 12 tecken. En mening eller flera ord är lätt att minnas och svårt att gissa.",
                    "At least 12 characters. A sentence or several words is easy to remember and hard to guess.",
                ),
                "password",
                String::new(),
                errors,
                l,
            ),
            TextField::new(
                "password_again",
                l.t("Skriv lösenordet igen", "Type the password again"),
                "",
                "password",
                String::new(),
                errors,
                l,
            ),
        ],
    }
}

/// `GET /activate`: type the code you were given, and choose a password.
pub async fn activate_blank(v: Visitor) -> PageResult {
    Ok(render(&activate_page(&v, "", String::new(), &[])))
}

/// `GET /activate/{code}`: choose a password, while the link works.
pub async fn activate_form(
    State(app): State<App>,
    v: Visitor,
    Path(code): Path<String>,
) -> PageResult {
    match app.link_info(&code).await {
        Ok(info) => {
            let who = format!(
                "{} ({})",
                info.name.unwrap_or_default(),
                info.email.unwrap_or_default()
            );
            Ok(render(&activate_page(&v, &code, who, &[])))
        }
        Err(e) => link_refused(&v, e),
    }
}

/// `POST /activate`: sets the password, then logs the holder in (a participant lands on their
/// own page).
pub async fn activate_submit(
    State(app): State<App>,
    v: Visitor,
    PageForm(input): PageForm<ActivateInput>,
) -> PageResult {
    match app.activate(&input).await {
        Ok(user) => log_in_and_go(&app, &v, &user.email, &input.password, "/").await,
        Err(AppError::Invalid(errors)) => {
            let page = activate_page(&v, &input.code, String::new(), &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---- The caller's own account. ---------------------------------------------------------------

pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub live: bool,
    pub created: String,
    pub expires: String,
}

fn token_rows(tokens: &[TokenView], l: Lang) -> Vec<TokenRow> {
    tokens
        .iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name.clone(),
            status: t.status.label(l.code()).to_owned(),
            live: t.status == stegvis_domain::account::TokenStatus::Live,
            created: crate::local_time::stockholm(t.created_at),
            expires: t
                .expires_at
                .map(crate::local_time::stockholm)
                .unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    user: UserView,
    role: String,
    password_fields: Vec<TextField>,
    token_fields: Vec<TextField>,
    tokens: Vec<TokenRow>,
    /// A token just made: shown this once.
    new_token: Option<NewToken>,
    /// The password was changed.
    changed: bool,
}

async fn account_page(
    app: &App,
    v: &Viewer,
    errors: &[FieldError],
    token_input: &TokenInput,
    new_token: Option<NewToken>,
    changed: bool,
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let user = app.own_account(&v.actor).await?;
    let tokens = app.api_tokens(&v.actor).await?;
    let page = AccountPage {
        c: v.chrome("account"),
        errors: error_views(errors, l),
        role: role_label(&user.role, l),
        user,
        password_fields: vec![
            TextField::new(
                "current_password",
                l.t("Nuvarande lösenord", "Current password"),
                "",
                "password",
                String::new(),
                errors,
                l,
            ),
            TextField::new(
                "new_password",
                l.t("Nytt lösenord", "New password"),
                l.t(
                    "Minst 12 tecken. Dina andra inloggningar avslutas.",
                    "At least 12 characters. Your other log-ins end.",
                ),
                "password",
                String::new(),
                errors,
                l,
            ),
            TextField::new(
                "new_password_again",
                l.t(
                    "Skriv det nya lösenordet igen",
                    "Type the new password again",
                ),
                "",
                "password",
                String::new(),
                errors,
                l,
            ),
        ],
        token_fields: vec![
            TextField::new(
                "name",
                l.t("Nyckelns namn", "The token's name"),
                l.t(
                    "Vad den används till, till exempel Rapportskript.",
                    "What it is for, for example Report script.",
                ),
                "text",
                token_input.name.clone(),
                errors,
                l,
            ),
            TextField::new(
                "expires_on",
                l.t("Sista giltiga dag (frivillig)", "Last valid day (optional)"),
                l.t(
                    "ÅÅÅÅ-MM-DD. Lämna tomt för 90 dagar; högst ett år.",
                    "YYYY-MM-DD. Leave empty for 90 days; at most a year.",
                ),
                "date",
                token_input.expires_on.clone().unwrap_or_default(),
                errors,
                l,
            ),
        ],
        tokens: token_rows(&tokens, l),
        new_token,
        changed,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /account`
pub async fn account(State(app): State<App>, v: Viewer) -> PageResult {
    account_page(
        &app,
        &v,
        &[],
        &TokenInput::default(),
        None,
        false,
        StatusCode::OK,
    )
    .await
}

/// `POST /account/password`
pub async fn change_password(
    State(app): State<App>,
    v: Viewer,
    visit: Visitor,
    PageForm(input): PageForm<PasswordChange>,
) -> PageResult {
    let keep = visit.ctx.session_token.clone();
    match app
        .change_own_password(&v.actor, &input, keep.as_deref())
        .await
    {
        Ok(()) => {
            account_page(
                &app,
                &v,
                &[],
                &TokenInput::default(),
                None,
                true,
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            account_page(
                &app,
                &v,
                &errors,
                &TokenInput::default(),
                None,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::TooManyAttempts) => {
            let errors = vec![FieldError::new(
                "current_password",
                stegvis_app::Text::new(
                    "För många fel lösenord. Vänta en kvart och försök igen.",
                    "Too many wrong passwords. Wait fifteen minutes and try again.",
                ),
            )];
            account_page(
                &app,
                &v,
                &errors,
                &TokenInput::default(),
                None,
                false,
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/tokens`: the new token is shown once, on the page that answers.
pub async fn create_token(
    State(app): State<App>,
    v: Viewer,
    PageForm(input): PageForm<TokenInput>,
) -> PageResult {
    match app.create_token(&v.actor, &input).await {
        Ok(t) => {
            account_page(
                &app,
                &v,
                &[],
                &TokenInput::default(),
                Some(t),
                false,
                StatusCode::CREATED,
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            account_page(
                &app,
                &v,
                &errors,
                &input,
                None,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/tokens/{id}/revoke`
pub async fn revoke_token(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    app.revoke_token(&v.actor, id).await?;
    Ok(Redirect::to("/account#tokens").into_response())
}

// ---- People. ---------------------------------------------------------------------------------

pub struct UserLine {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    users: Vec<UserLine>,
    fields: Vec<TextField>,
    role: SelectField,
}

fn administers(actor: &Actor) -> bool {
    policy::allows(&Request::Function {
        actor,
        function: Function::Users,
        action: Action::Write,
        owner: None,
    })
}

async fn users_page(
    app: &App,
    v: &Viewer,
    input: &InviteInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let users = app.users(&v.actor).await?;
    let page = UsersPage {
        c: v.chrome("admin"),
        errors: error_views(errors, l),
        users: users
            .into_iter()
            .map(|u| UserLine {
                id: u.id,
                role: role_label(&u.role, l),
                status: u.status.label(l.code()).to_owned(),
                name: u.name,
                email: u.email,
            })
            .collect(),
        fields: vec![
            TextField::new(
                "email",
                l.t("E-postadress", "E-mail address"),
                l.t("Personen loggar in med den.", "The person logs in with it."),
                "email",
                input.email.clone(),
                errors,
                l,
            ),
            TextField::new(
                "name",
                l.t("Namn", "Name"),
                "",
                "text",
                input.name.clone(),
                errors,
                l,
            ),
        ],
        role: SelectField::new(
            "role",
            l.t("Roll", "Role"),
            "",
            role_options(&input.role, l),
            errors,
            l,
        ),
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/users`
pub async fn users(State(app): State<App>, v: Viewer) -> PageResult {
    users_page(&app, &v, &InviteInput::default(), &[], StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "admin_link.html")]
struct LinkPage {
    c: Chrome,
    title: String,
    intro: String,
    link: IssuedLink,
    back_href: String,
    back_text: String,
    expires: String,
}

fn link_page(v: &Viewer, title: &str, intro: &str, link: IssuedLink, back: &str) -> LinkPage {
    let l = v.lang;
    LinkPage {
        c: v.chrome("admin"),
        title: title.to_owned(),
        intro: intro.to_owned(),
        expires: crate::local_time::stockholm(link.expires_at),
        link,
        back_href: back.to_owned(),
        back_text: l.t("Tillbaka", "Back").to_owned(),
    }
}

/// `POST /admin/users`: the invitation, with its one-time link to hand over.
pub async fn invite(
    State(app): State<App>,
    v: Viewer,
    PageForm(input): PageForm<InviteInput>,
) -> PageResult {
    let l = v.lang;
    match app.invite(&v.actor, &input).await {
        Ok(inv) => {
            let page = link_page(
                &v,
                l.t("Inbjudan är skapad", "The invitation is made"),
                l.t(
                    "Lämna över länken eller koden till personen. Den fungerar en gång, i sju dagar, och visas bara nu.",
                    "Hand the link or the code over to the person. It works once, for seven days, and is shown only now.",
                ),
                inv.link,
                "/admin/users",
            );
            Ok((StatusCode::CREATED, render(&page)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            users_page(&app, &v, &input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    user: UserView,
    role_text: String,
    status: String,
    active: bool,
    role: SelectField,
}

async fn user_page(
    app: &App,
    v: &Viewer,
    id: Uuid,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let user = app.user(&v.actor, id).await?;
    let page = UserPage {
        c: v.chrome("admin"),
        errors: error_views(errors, l),
        role_text: role_label(&user.role, l),
        status: user.status.label(l.code()).to_owned(),
        active: user.status != stegvis_domain::account::AccountStatus::Deactivated,
        role: SelectField::new(
            "role",
            l.t("Ny roll", "New role"),
            l.t(
                "Du kan inte ge dig själv en roll som läser deltagarnas uppgifter; en annan administratör måste göra det.",
                "You cannot give yourself a role that reads participants' data; another administrator must.",
            ),
            role_options(&user.role, l),
            errors,
            l,
        ),
        user,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/users/{id}`
pub async fn user(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    user_page(&app, &v, id, &[], StatusCode::OK).await
}

/// `POST /admin/users/{id}`: a new role, or switching the account off or on.
pub async fn change_user(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    PageForm(input): PageForm<AccountChange>,
) -> PageResult {
    let result = app.change_user(&v.actor, id, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| user_page(&app, &v, id, &errors, status).await;
    after_post(
        result,
        |_| format!("/admin/users/{id}"),
        Some("version"),
        again,
    )
    .await
}

/// `POST /admin/users/{id}/password-reset`: a new one-time link, shown to hand over.
pub async fn reset_password(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let l = v.lang;
    let link = app.reset_password(&v.actor, id).await?;
    let page = link_page(
        &v,
        l.t("Länk för nytt lösenord", "Link for a new password"),
        l.t(
            "Lämna över länken eller koden. Den fungerar en gång och visas bara nu. Det gamla lösenordet fungerar tills den används.",
            "Hand the link or the code over. It works once and is shown only now. The old password works until it is used.",
        ),
        link,
        &format!("/admin/users/{id}"),
    );
    Ok((StatusCode::CREATED, render(&page)).into_response())
}

// ---- Organisations. --------------------------------------------------------------------------

pub struct OrgLine {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub municipality: String,
    pub parent: String,
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "admin_organisations.html")]
struct OrganisationsPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    orgs: Vec<OrgLine>,
    fields: Vec<TextField>,
    kind: SelectField,
    parent: SelectField,
}

fn kind_label(code: &str, l: Lang) -> String {
    OrganisationKind::from_code(code).map_or(code.to_owned(), |k| k.label(l.code()).to_owned())
}

fn parent_options(
    all: &[OrganisationView],
    except: Option<Uuid>,
    current: &str,
    l: Lang,
) -> Vec<OptionView> {
    let mut o = vec![OptionView {
        value: String::new(),
        label: l.t("Ingen", "None").into(),
        checked: current.is_empty(),
    }];
    o.extend(
        all.iter()
            .filter(|x| Some(x.id) != except)
            .map(|x| OptionView {
                value: x.id.to_string(),
                label: x.name.clone(),
                checked: x.id.to_string() == current,
            }),
    );
    o
}

async fn organisations_page(
    app: &App,
    v: &Viewer,
    input: &OrganisationInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    if !administers(&v.actor) {
        return Err(AppError::Forbidden.into());
    }
    let all = app.organisations(&v.actor).await?;
    let names: std::collections::HashMap<Uuid, String> =
        all.iter().map(|o| (o.id, o.name.clone())).collect();
    let page = OrganisationsPage {
        c: v.chrome("admin"),
        errors: error_views(errors, l),
        orgs: all
            .iter()
            .map(|o| OrgLine {
                id: o.id,
                name: o.name.clone(),
                kind: kind_label(&o.kind, l),
                municipality: o.municipality_code.clone().unwrap_or_default(),
                parent: o
                    .parent_org_id
                    .and_then(|p| names.get(&p).cloned())
                    .unwrap_or_default(),
                editable: app.administers(&v.actor, o),
            })
            .collect(),
        fields: vec![
            TextField::new(
                "name",
                l.t("Namn", "Name"),
                "",
                "text",
                input.name.clone(),
                errors,
                l,
            ),
            TextField::new(
                "municipality_code",
                l.t("Kommunkod (frivillig)", "Municipality code (optional)"),
                l.t(
                    "Fyra siffror, till exempel 1293.",
                    "Four digits, for example 1293.",
                ),
                "text",
                input.municipality_code.clone().unwrap_or_default(),
                errors,
                l,
            ),
        ],
        kind: SelectField::new(
            "kind",
            l.t("Typ av organisation", "Kind of organisation"),
            "",
            kind_options(&input.kind, l),
            errors,
            l,
        ),
        parent: SelectField::new(
            "parent_org_id",
            l.t(
                "Ingår i (för regionala rapporter)",
                "Part of (for regional reports)",
            ),
            "",
            parent_options(&all, None, input.parent_org_id.as_deref().unwrap_or(""), l),
            errors,
            l,
        ),
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/organisations`
pub async fn organisations(State(app): State<App>, v: Viewer) -> PageResult {
    organisations_page(&app, &v, &OrganisationInput::default(), &[], StatusCode::OK).await
}

/// `POST /admin/organisations`
pub async fn create_organisation(
    State(app): State<App>,
    v: Viewer,
    PageForm(input): PageForm<OrganisationInput>,
) -> PageResult {
    let result = app.create_organisation(&v.actor, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        organisations_page(&app, &v, &input, &errors, status).await
    };
    after_post(
        result,
        |o| format!("/admin/organisations/{}", o.id),
        None,
        again,
    )
    .await
}

pub struct PartnerBox {
    pub id: Uuid,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin_organisation.html")]
struct OrganisationPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    org: OrganisationView,
    fields: Vec<TextField>,
    kind: SelectField,
    parent: SelectField,
    partners: Vec<PartnerBox>,
    partner_error: Option<String>,
}

async fn organisation_page(
    app: &App,
    v: &Viewer,
    id: Uuid,
    typed: Option<&OrganisationUpdate>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let org = app.organisation(&v.actor, id).await?;
    if !app.administers(&v.actor, &org) {
        return Err(AppError::NotFound.into());
    }
    let all = app.organisations(&v.actor).await?;
    let name = typed
        .and_then(|t| t.name.clone())
        .unwrap_or(org.name.clone());
    let kind = typed
        .and_then(|t| t.kind.clone())
        .unwrap_or(org.kind.clone());
    let muni = typed
        .and_then(|t| t.municipality_code.clone())
        .or(org.municipality_code.clone())
        .unwrap_or_default();
    let parent = typed
        .and_then(|t| t.parent_org_id.clone())
        .or(org.parent_org_id.map(|p| p.to_string()))
        .unwrap_or_default();
    let chosen: Vec<String> = typed
        .and_then(|t| t.partner_org_ids.clone())
        .unwrap_or_else(|| org.partner_org_ids.iter().map(Uuid::to_string).collect());
    let page = OrganisationPage {
        c: v.chrome("admin"),
        errors: error_views(errors, l),
        fields: vec![
            TextField::new("name", l.t("Namn", "Name"), "", "text", name, errors, l),
            TextField::new(
                "municipality_code",
                l.t("Kommunkod (frivillig)", "Municipality code (optional)"),
                l.t(
                    "Fyra siffror, till exempel 1293.",
                    "Four digits, for example 1293.",
                ),
                "text",
                muni,
                errors,
                l,
            ),
        ],
        kind: SelectField::new(
            "kind",
            l.t("Typ av organisation", "Kind of organisation"),
            "",
            kind_options(&kind, l),
            errors,
            l,
        ),
        parent: SelectField::new(
            "parent_org_id",
            l.t(
                "Ingår i (för regionala rapporter)",
                "Part of (for regional reports)",
            ),
            "",
            parent_options(&all, Some(id), &parent, l),
            errors,
            l,
        ),
        partners: all
            .iter()
            .filter(|o| o.id != id)
            .map(|o| PartnerBox {
                id: o.id,
                name: o.name.clone(),
                checked: chosen.contains(&o.id.to_string()),
            })
            .collect(),
        partner_error: error_for(errors, "partner_org_ids", l),
        org,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /admin/organisations/{id}`
pub async fn organisation(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    organisation_page(&app, &v, id, None, &[], StatusCode::OK).await
}

/// `POST /admin/organisations/{id}`: the partners come as repeated `partner_org_ids`.
pub async fn update_organisation(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    posted: Posted,
) -> PageResult {
    let mut input = OrganisationUpdate {
        partner_org_ids: Some(Vec::new()),
        ..Default::default()
    };
    for (k, val) in posted.pairs() {
        let val = val.into_owned();
        match k.as_ref() {
            "version" => input.version = val.trim().parse().ok().or(Some(-1)),
            "name" => input.name = Some(val),
            "kind" => input.kind = Some(val),
            "municipality_code" => input.municipality_code = Some(val),
            "parent_org_id" => input.parent_org_id = Some(val),
            "partner_org_ids" => input.partner_org_ids.get_or_insert_default().push(val),
            _ => {}
        }
    }
    let result = app.update_organisation(&v.actor, id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        organisation_page(&app, &v, id, Some(&input), &errors, status).await
    };
    after_post(
        result,
        |_| format!("/admin/organisations/{id}"),
        Some("version"),
        again,
    )
    .await
}

// ---- Participants' own accounts. -------------------------------------------------------------

#[derive(Template)]
#[template(path = "participant_activation.html")]
struct ActivationPage {
    c: Chrome,
    participant_id: Uuid,
    name: String,
    link: IssuedLink,
    expires: String,
}

/// `POST /participants/{id}/account`: opens the account and shows the activation code to print
/// or hand over.
pub async fn open_participant_account(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    PageForm(input): PageForm<stegvis_app::accounts::ParticipantAccountInput>,
) -> PageResult {
    match app.open_participant_account(&v.actor, id, &input).await {
        Ok(opened) => {
            let page = ActivationPage {
                c: v.chrome("participants"),
                participant_id: id,
                name: opened.link.name.clone().unwrap_or_default(),
                expires: crate::local_time::stockholm(opened.link.expires_at),
                link: opened.link,
            };
            Ok((StatusCode::CREATED, render(&page)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            super::participants::show_page(
                &app,
                &v,
                id,
                input.email,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(text)) => {
            let errors = vec![FieldError::new("email", text)];
            super::participants::show_page(&app, &v, id, input.email, &errors, StatusCode::CONFLICT)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /participants/{id}/account/close`
pub async fn close_participant_account(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    PageForm(input): PageForm<stegvis_app::accounts::CloseAccountInput>,
) -> PageResult {
    let result = app.close_participant_account(&v.actor, id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        super::participants::show_page(&app, &v, id, String::new(), &errors, status).await
    };
    after_post(
        result,
        |_| format!("/participants/{id}#account-heading"),
        Some("account_id"),
        again,
    )
    .await
}
