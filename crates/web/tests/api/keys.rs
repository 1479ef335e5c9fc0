//! Key rotation beside a running server: writers enrol and read while `keys rotate` works
//! (interrupted once and resumed), a duplicate is refused throughout, the search finds every
//! number afterwards, and the old key can then be retired (both backends).

use crate::support::{COACH, database_url, key_file_text, spawn_with_keys};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use stegvis_app::{App, AppError, Clock, FixedClock, KeySource};

/// A valid personnummer (born 1981), different for each `i`.
fn number(i: u32) -> String {
    let nine = format!(
        "81{:02}{:02}{:03}",
        1 + (i / 28) % 9,
        1 + i % 28,
        200 + i / 252
    );
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(k, b)| {
            let d = u32::from(b - b'0') * if k % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("19{nine}{}", (10 - sum % 10) % 10)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotation_beside_concurrent_writers_then_retire() {
    let dir = std::env::temp_dir().join(format!("stegvis-keys-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("stegvis.keys");
    std::fs::write(&key_file, key_file_text()).unwrap();
    let url = database_url().await;
    // The server, started before the rotation with only key 1 in its ring.
    let t = Arc::new(spawn_with_keys(url.clone(), KeySource::File(key_file.clone())).await);
    let coach = t.token(COACH).await;
    let cli = || {
        App::open(
            &url,
            KeySource::File(key_file.clone()),
            Arc::new(FixedClock::new(t.clock.now())),
        )
    };

    // Sealed under key 1 before the rotation: enrolled again during it, it must be refused.
    let dup = number(0);
    let r = t.register(&coach, &dup, "Före", "Rotationen").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let dup_id = r.json::<Value>().await.unwrap()["participant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Their address for reminders, sealed under key 1 too.
    let reminders = format!("/api/v1/participants/{dup_id}/reminders");
    let r = t
        .put(
            &coach,
            &reminders,
            &json!({"agreed": true, "email": "fore@exempel.se", "phone": "070-123 45 67", "language": "sv"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    let rotation = cli().await.unwrap();
    assert_eq!(rotation.start_rotation().await.unwrap(), 2);
    // Interrupted after one small batch (the process stops; its cursor is in the database).
    let (n, finished) = rotation.rotation_step(10).await.unwrap();
    assert_eq!((n, finished), (10, false));
    rotation.close().await;

    let rotating = Arc::new(AtomicBool::new(true));
    let project = t.project_id(&coach, "En väg in").await;
    let mut writers = Vec::new();
    for w in 0..6u32 {
        let (t, coach, rotating) = (t.clone(), coach.clone(), rotating.clone());
        let project = project.clone();
        writers.push(tokio::spawn(async move {
            let mut made = Vec::new();
            let mut i = 0;
            while (rotating.load(Ordering::SeqCst) || i < 5) && i < 200 {
                let n = number(1 + w * 1000 + i);
                let body = serde_json::json!({
                    "identity_number": n,
                    "given_name": "Skriv",
                    "family_name": format!("Arbetare{w}"),
                    "gender": "woman",
                    "project_id": project,
                    "enrolled_on": "2026-01-15",
                    "baseline": { "labour_status": "unemployed", "months_without_work": 14, "disability": "declined" }
                });
                let r = t.post(&coach, "/api/v1/participants", &body).await;
                let status = r.status();
                let text = r.text().await.unwrap();
                assert_eq!(status, StatusCode::CREATED, "{n}: {text}");
                let id = serde_json::from_str::<Value>(&text).unwrap()["participant"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let r = t.get(&coach, &format!("/api/v1/participants/{id}")).await;
                let status = r.status();
                let text = r.text().await.unwrap();
                assert_eq!(status, StatusCode::OK, "{text}");
                let read: Value = serde_json::from_str(&text).unwrap();
                let got = read["participant"]["identity_number"].as_str().unwrap();
                assert_eq!(digits(got), n, "reads back while rotating");
                made.push((id, n));
                i += 1;
            }
            made
        }));
    }

    // Resumed by a new process, in small batches so the writers run between them.
    let rotation = cli().await.unwrap();
    assert_eq!(
        rotation.start_rotation().await.unwrap(),
        2,
        "resumes, no new key"
    );
    let refused = t.register(&coach, &dup, "Före", "Igen").await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate during rotation"
    );
    assert!(
        matches!(rotation.retire_key(1).await, Err(AppError::Conflict(_))),
        "retire is refused while the rotation runs"
    );
    let mut steps = 0;
    loop {
        let (_, finished) = rotation.rotation_step(10).await.unwrap();
        steps += 1;
        if finished {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    rotating.store(false, Ordering::SeqCst);
    assert!(steps > 2, "the rotation took several batches ({steps})");
    let mut made = Vec::new();
    for w in writers {
        made.extend(w.await.unwrap());
    }
    assert!(made.len() >= 30, "{} enrolled", made.len());
    let refused = t.register(&coach, &dup, "Före", "Efter").await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate after rotation"
    );

    let status = rotation.key_status().await.unwrap();
    assert_eq!(
        (status.encrypt_key, status.index_key, status.rotating_to),
        (2, 2, None)
    );
    let under_1 = status.keys.iter().find(|k| k.id == 1).unwrap().sealed;
    assert_eq!(under_1, 0, "nothing left under key 1");
    rotation.retire_key(1).await.unwrap();
    let text = std::fs::read_to_string(&key_file).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(lines.len(), 1, "only the new key is left");
    assert!(lines[0].starts_with("2:"));
    rotation.close().await;

    // A server started now has key 2 only, and reads and finds everyone.
    let fresh = spawn_with_keys(url.clone(), KeySource::File(key_file.clone())).await;
    // The trail's events signed with key 1 stay proven: the checkpoint `retire` wrote.
    let verified = fresh.app.verify_trail(None).await.unwrap();
    assert!(
        verified.ok && verified.events > 0,
        "the trail verifies with key 2 only: {verified:?}"
    );
    let coach2 = fresh.token(COACH).await;
    // The reminder contacts were resealed too: the new key alone reads them.
    let agreement: Value = fresh.get(&coach2, &reminders).await.json().await.unwrap();
    assert_eq!(agreement["email"], "fore@exempel.se", "{agreement}");
    assert_eq!(agreement["phone"], "+46701234567", "{agreement}");
    made.push((String::new(), dup.clone()));
    for server in [&*t, &fresh] {
        for (id, n) in &made {
            let found: Value = server
                .get(&coach2, &format!("/api/v1/participants?q={n}"))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(found["total"], 1, "{n}: {found}");
            let pid = found["items"][0]["id"].as_str().unwrap();
            if !id.is_empty() {
                assert_eq!(pid, id);
            }
            let read: Value = server
                .get(&coach2, &format!("/api/v1/participants/{pid}"))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(
                digits(read["participant"]["identity_number"].as_str().unwrap()),
                *n
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
