//! The plan (handlingsplan): goals broken into steps, each owned by the participant or by staff.

crate::code_list!(
    /// Who takes a step: the participant owns their process (JagKan) or staff does.
    StepOwner, "step owner" {
        Participant => "participant", "Deltagaren", "The participant";
        Staff => "staff", "Personal", "Staff";
    }
);

crate::code_list!(
    /// Where a step stands.
    StepStatus, "step status" {
        Planned => "planned", "Planerat", "Planned";
        InProgress => "in_progress", "Pågår", "In progress";
        Done => "done", "Klart", "Done";
        Dropped => "dropped", "Avbrutet", "Dropped";
    }
);

/// Longest goal or step text, and longest free text.
pub const MAX_TITLE: usize = 500;
pub const MAX_TEXT: usize = 4000;
