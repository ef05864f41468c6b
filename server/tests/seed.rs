//! Seeding survives restarts: starting again with `--seed` on a seeded database neither fails nor
//! seeds twice (the marker is stored as bytes and was once read back as text).

use psyter_server::{AppState, Clock, Config};

#[tokio::test]
async fn seeding_an_already_seeded_database_is_a_no_op() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("server.db");
    let clock = Clock::default();
    for expected in [true, false] {
        let state = AppState::open(Config::new(db.clone()), clock.clone()).expect("state");
        let now = clock.now();
        let seeded = state.db.with_writer(|c| psyter_server::seed::seed_demo(c, 3, now)).expect("seed");
        assert_eq!(seeded, expected, "first start seeds, the second finds the marker");
    }
}
