//! The README's QA script, run for real: the `psyter` binary (a new process per step, as a QA script
//! runs it) against the reference server on loopback, with `--json` output and exit codes checked.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_qa_script_login_search_book_offline_history_cancel_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_server(dir.path()).await;
    let qa = Cli::new(&server);

    qa.login(DEMO_PATIENT).await;
    let (code, me) = qa.run(&["whoami"]).await;
    assert_eq!((code, me["account"]["email"].as_str()), (0, Some(DEMO_PATIENT)), "{me}");

    let (code, found) = qa.run(&["providers", "search", "anxiety", "--limit", "5"]).await;
    assert_eq!((code, found["from_cache"].as_bool()), (0, Some(false)), "{found}");
    let provider = found["items"][0]["id"].as_str().expect("a provider").to_owned();

    let (code, booked) =
        qa.run(&["book", &provider, "--first-free", "--from", "+26h", "--reason", "QA script visit"]).await;
    assert_eq!((code, booked["outcome"].as_str()), (0, Some("booked")), "{booked}");
    let id = booked["appointment"]["id"].as_str().expect("id").to_owned();

    // Offline: the lists, history search and a cancel all work from the cache and the outbox.
    let (code, list) = qa.run(&["--offline", "appointments", "list"]).await;
    assert_eq!(code, 0, "{list}");
    assert!(list["items"].as_array().expect("items").iter().any(|a| a["id"] == id.as_str()), "{list}");
    let (code, hits) = qa.run(&["--offline", "history", "search", "qa visit"]).await;
    assert_eq!((code, hits["items"][0]["id"].as_str()), (0, Some(id.as_str())), "{hits}");
    let (code, cancel) = qa.run(&["--offline", "appointments", "cancel", &id, "--reason", "QA offline"]).await;
    assert_eq!((code, cancel["outcome"].as_str()), (0, Some("queued")), "{cancel}");
    let (code, shown) = qa.run(&["--offline", "appointments", "show", &id]).await;
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown["appointment"]["pending"]["kind"], "cancel", "{shown}");
    let (code, failed) = qa.run(&["--offline", "sync"]).await;
    assert_eq!((code, failed["error"]["code"].as_str()), (3, Some("offline")), "exit 3 means offline: {failed}");

    // Back online: one sync sends the cancel once.
    let (code, synced) = qa.run(&["sync"]).await;
    assert_eq!((code, synced["sent"].as_u64()), (0, Some(1)), "{synced}");
    let (code, shown) = qa.run(&["appointments", "show", &id]).await;
    assert_eq!((code, shown["appointment"]["status"].as_str()), (0, Some("cancelled")), "{shown}");
    assert!(shown["appointment"]["pending"].is_null(), "{shown}");
    let (_, again) = qa.run(&["sync"]).await;
    assert_eq!(again["sent"].as_u64(), Some(0), "{again}");

    // Errors are typed: validation (5), not found (7), then signed out (6).
    let (code, bad) = qa.run(&["appointments", "show", "not-an-id"]).await;
    assert_eq!(code, 2, "{bad}");
    let (code, missing) = qa.run(&["appointments", "show", "01a00000-0000-7000-8000-000000000000"]).await;
    assert_eq!((code, missing["error"]["code"].as_str()), (7, Some("not_found")), "{missing}");
    let (code, out) = qa.run(&["logout"]).await;
    assert_eq!((code, out["signed_out"].as_bool()), (0, Some(true)), "{out}");
    let (code, who) = qa.run(&["whoami"]).await;
    assert_eq!((code, who["error"]["code"].as_str()), (6, Some("not_signed_in")), "{who}");
}
