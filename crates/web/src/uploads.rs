//! Files uploaded for import, held in memory between the steps of the import (mapping, dry run,
//! import, rejected rows): never on disk, since they hold identity numbers. Each is bound to the
//! user who uploaded it, expires after an hour, and a user keeps only a few.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use stegvis_app::import::{ImportKind, ImportMode, ImportSummary, Mapping, Sheet};
use uuid::Uuid;

/// How long an upload is kept after it was made.
pub const UPLOAD_LIFETIME: Duration = Duration::from_secs(60 * 60);
/// Uploads one user keeps; a new one pushes out their oldest.
pub const UPLOADS_PER_USER: usize = 3;
/// Uploads the server keeps in all (memory is the limit; the oldest goes first).
const UPLOADS_IN_ALL: usize = 32;

/// A dry run or an import, and the language its messages are in.
#[derive(Clone)]
pub struct Outcome {
    pub summary: ImportSummary,
    pub lang: &'static str,
    pub mode: ImportMode,
}

/// One uploaded file and where its user is in the import.
#[derive(Clone)]
pub struct Upload {
    owner: Uuid,
    made: Instant,
    pub file_name: String,
    pub sheets: Arc<Vec<Sheet>>,
    /// The sheet being imported (index into `sheets`).
    pub sheet: usize,
    /// The kind chosen on the upload form; `None`: guessed from each sheet's headers.
    pub chosen_kind: Option<ImportKind>,
    pub project_id: Option<Uuid>,
    /// The mapping the user last confirmed (for `sheet`).
    pub mapping: Option<Mapping>,
    pub dry_run: Option<Outcome>,
    pub result: Option<Outcome>,
}

impl Upload {
    pub fn new(
        owner: Uuid,
        file_name: String,
        sheets: Vec<Sheet>,
        chosen_kind: Option<ImportKind>,
        project_id: Option<Uuid>,
    ) -> Self {
        Upload {
            owner,
            made: Instant::now(),
            file_name,
            sheets: Arc::new(sheets),
            sheet: 0,
            chosen_kind,
            project_id,
            mapping: None,
            dry_run: None,
            result: None,
        }
    }

    fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.made) > UPLOAD_LIFETIME
    }
}

/// The uploads of all users, by a random id.
#[derive(Default)]
pub struct Uploads {
    inner: Mutex<HashMap<Uuid, Upload>>,
}

impl Uploads {
    /// Keeps `upload` under a new random id (unguessable: UUID v4 from the OS's generator).
    pub fn insert(&self, upload: Upload) -> Uuid {
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.retain(|_, u| !u.expired(now));
        let oldest = |map: &HashMap<Uuid, Upload>, owner: Option<Uuid>| {
            map.iter()
                .filter(|(_, u)| owner.is_none_or(|o| u.owner == o))
                .min_by_key(|(_, u)| u.made)
                .map(|(id, _)| *id)
        };
        while map.values().filter(|u| u.owner == upload.owner).count() >= UPLOADS_PER_USER {
            let Some(id) = oldest(&map, Some(upload.owner)) else {
                break;
            };
            map.remove(&id);
        }
        while map.len() >= UPLOADS_IN_ALL {
            let Some(id) = oldest(&map, None) else { break };
            map.remove(&id);
        }
        let id = Uuid::new_v4();
        map.insert(id, upload);
        id
    }

    /// The upload `id` if `owner` made it and it has not expired (another user's is not found).
    pub fn get(&self, id: Uuid, owner: Uuid) -> Option<Upload> {
        let map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&id)
            .filter(|u| u.owner == owner && !u.expired(Instant::now()))
            .cloned()
    }

    /// Changes the upload `id` of `owner`; false when there is none.
    pub fn update(&self, id: Uuid, owner: Uuid, change: impl FnOnce(&mut Upload)) -> bool {
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match map
            .get_mut(&id)
            .filter(|u| u.owner == owner && !u.expired(Instant::now()))
        {
            Some(u) => {
                change(u);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(owner: Uuid) -> Upload {
        Upload::new(owner, "f.csv".into(), Vec::new(), None, None)
    }

    #[test]
    fn an_upload_is_its_owners_only() {
        let uploads = Uploads::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let id = uploads.insert(upload(a));
        assert!(uploads.get(id, a).is_some());
        assert!(uploads.get(id, b).is_none());
        assert!(!uploads.update(id, b, |u| u.sheet = 1));
        assert!(uploads.update(id, a, |u| u.sheet = 1));
        assert_eq!(uploads.get(id, a).unwrap().sheet, 1);
    }

    #[test]
    fn a_user_keeps_a_few_and_the_oldest_goes() {
        let uploads = Uploads::default();
        let a = Uuid::new_v4();
        let ids: Vec<Uuid> = (0..UPLOADS_PER_USER + 1)
            .map(|_| uploads.insert(upload(a)))
            .collect();
        assert!(uploads.get(ids[0], a).is_none(), "the oldest is gone");
        assert!(ids[1..].iter().all(|id| uploads.get(*id, a).is_some()));
    }

    #[test]
    fn an_upload_expires_after_an_hour() {
        let uploads = Uploads::default();
        let a = Uuid::new_v4();
        let id = uploads.insert(upload(a));
        let Some(past) = Instant::now().checked_sub(UPLOAD_LIFETIME + Duration::from_secs(1))
        else {
            return; // a machine up for less than an hour cannot date an upload back
        };
        assert!(uploads.update(id, a, |u| u.made = past));
        assert!(uploads.get(id, a).is_none());
    }
}
