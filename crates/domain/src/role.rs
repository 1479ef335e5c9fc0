//! Roles of users (DESIGN.md, "Who uses it").

crate::code_list!(
    /// What a user does in Stegvis; one role per account.
    Role, "role" {
        Coach => "coach", "Jobbcoach", "Coach";
        PartnerStaff => "partner_staff", "Samverkanspartner", "Partner staff";
        Supervisor => "supervisor", "Handledare", "Supervisor";
        Participant => "participant", "Deltagare", "Participant";
        ProjectManager => "project_manager", "Projektledare", "Project manager";
        Admin => "admin", "Administratör", "Administrator";
        Auditor => "auditor", "Dataskyddsombud", "Auditor";
        // Signed in through an identity provider, no role given yet: reads and does nothing.
        Pending => "pending", "Väntar på roll", "Awaiting a role";
    }
);
