//! The vocabulary of access decisions: what kind of record or function a request is about, what
//! the actor does with it, and how it was decided. The rules themselves live in `app::policy`.

crate::code_list!(
    /// The kinds of personal record the gate protects.
    RecordKind, "record kind" {
        Participant => "participant", "Personuppgifter", "Personal details";
        Enrolment => "enrolment", "Inskrivning och bakgrundsfrågor", "Enrolment and baseline";
        Assessment => "assessment", "Kartläggning", "Assessment";
        Attendance => "attendance", "Närvaro", "Attendance";
        FollowUp => "follow_up", "Uppföljning", "Follow-up";
        Plan => "plan", "Handlingsplan", "Plan";
        Placement => "placement", "Praktik och anställning", "Placement";
        Consent => "consent", "Samtycke", "Consent";
        Referral => "referral", "Remiss", "Referral";
        Conference => "conference", "Samverkansmöte", "Case conference";
        AuditTrail => "audit_trail", "Åtkomstlogg", "Access log";
    }
);

crate::code_list!(
    /// What the actor does with the record.
    Action, "action" {
        Read => "read", "Läsa", "Read";
        Write => "write", "Ändra", "Write";
        Search => "search", "Söka", "Search";
    }
);

crate::code_list!(
    /// The organisation's functions that hold no personal data, each decided by the gate too.
    Function, "function" {
        Users => "users", "Användare", "Users";
        Organisations => "organisations", "Organisationer", "Organisations";
        Employers => "employers", "Arbetsgivare", "Employers";
        Teams => "teams", "Samverkansteam", "Collaboration teams";
        RollUp => "roll_up", "Rapport över alla projekt", "Roll-up report";
        Activities => "activities", "Aktiviteter", "Activities";
        ProjectReports => "project_reports", "Projektets rapporter", "Project reports";
        ParticipantHourValue => "participant_hour_value", "Värde per deltagartimme", "Value of a participant hour";
        Account => "account", "Eget konto och lösenord", "Own account and password";
        ApiTokens => "api_tokens", "API-nycklar", "API tokens";
        Projects => "projects", "Projekt och målgrupp", "Projects and target groups";
        Goals => "goals", "Projektets mål", "Project goals";
        ParticipantFile => "participant_file", "Deltagarfil med personnummer", "Participant file with identity numbers";
        DataSubjectRights => "data_subject_rights", "Registerutdrag, rättelse och gallring", "Register extract, correction and erasure";
        RetentionRules => "retention_rules", "Gallringsregler", "Retention rules";
    }
);

crate::code_list!(
    /// How the gate decided.
    Decision, "decision" {
        Allowed => "allowed", "Tillåten", "Allowed";
        Denied => "denied", "Nekad", "Denied";
    }
);
