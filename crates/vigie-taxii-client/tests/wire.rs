//! What the client sends and how it takes answers medallion never gives, against a scripted
//! HTTP server on 127.0.0.1 (one canned response per connection, each request recorded):
//! the `Accept`, `Authorization` and `Content-Type` headers and the query string on the wire;
//! redirects not followed; bodies over the limit (declared or not), non-JSON bodies, JSON that
//! is not the resource, bad date headers and non-TAXII error pages, each a typed error naming
//! the URL.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;

use vigie_taxii_client::{Auth, Client, ClientOptions, ObjectQuery, TaxiiError};

/// One request as the server read it.
struct Seen {
    head: String,
    body: String,
}

/// Serves `responses` in order, one per connection; returns the base URL and the requests.
fn serve(responses: Vec<String>) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for response in responses {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let length = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = tx.send(Seen {
                head,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    (base, rx)
}

fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    r.push_str(body);
    r
}

const TAXII: &str = "Content-Type: application/taxii+json;version=2.1";

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

#[test]
fn requests_carry_the_taxii_media_type_credentials_and_filters() {
    let status = r#"{"id":"s1","status":"complete","total_count":1,"success_count":1,"failure_count":0,"pending_count":0}"#;
    let (base, seen) = serve(vec![
        response("200 OK", &[TAXII], r#"{"more":false,"objects":[]}"#),
        response("202 Accepted", &[TAXII], status),
    ]);
    let client = Client::new(ClientOptions::new(Auth::bearer("t0ken")));
    let root = format!("{base}/api1/");
    let query = ObjectQuery {
        added_after: Some("2017-12-31T13:49:53.935000Z".into()),
        types: vec!["indicator".into(), "malware".into()],
        limit: Some(2),
        ..ObjectQuery::default()
    };
    let page = client.objects(&root, "c 1", &query).expect("page");
    assert!(page.items.is_empty() && !page.more);
    let get = seen.recv().expect("GET seen");
    assert_eq!(
        get.head.lines().next(),
        Some("GET /api1/collections/c%201/objects/?added_after=2017-12-31T13%3A49%3A53.935000Z&match%5Btype%5D=indicator%2Cmalware&limit=2 HTTP/1.1")
    );
    assert_eq!(
        header(&get, "accept"),
        Some("application/taxii+json;version=2.1")
    );
    assert_eq!(header(&get, "authorization"), Some("Bearer t0ken"));

    let object = serde_json::json!({"type": "indicator", "id": "indicator--1"});
    let s = client
        .add_objects(&root, "c1", std::slice::from_ref(&object))
        .expect("status");
    assert_eq!((s.id.as_str(), s.success_count), ("s1", 1));
    let post = seen.recv().expect("POST seen");
    assert!(post.head.starts_with("POST /api1/collections/c1/objects/ "));
    assert_eq!(
        header(&post, "content-type"),
        Some("application/taxii+json;version=2.1")
    );
    let sent: serde_json::Value = serde_json::from_str(&post.body).expect("JSON body");
    assert_eq!(sent, serde_json::json!({"objects": [object]}));
}

#[test]
fn answers_that_are_not_taxii_are_typed_errors_naming_the_url() {
    let big = "x".repeat(300);
    let (base, _seen) = serve(vec![
        response(
            "301 Moved Permanently",
            &["Location: https://elsewhere/taxii2/"],
            "",
        ),
        response("200 OK", &[TAXII], &format!(r#"{{"title":"{big}"}}"#)),
        response("200 OK", &[], "<html>hello</html>"),
        response("200 OK", &[TAXII], r#"{"api_roots": 3}"#),
        response(
            "200 OK",
            &[TAXII, "X-TAXII-Date-Added-Last: yesterday"],
            r#"{"objects":[]}"#,
        ),
        response(
            "502 Bad Gateway",
            &["Content-Type: text/html"],
            "<h1>Bad Gateway</h1>",
        ),
        response(
            "413 Payload Too Large",
            &[TAXII],
            r#"{"title":"Too big","http_status":"413"}"#,
        ),
    ]);
    let client = Client::new(ClientOptions {
        max_response_size: 256,
        ..ClientOptions::new(Auth::None)
    });
    let discovery = format!("{base}/taxii2/");
    let root = format!("{base}/api1/");

    let e = client.discovery(&discovery).expect_err("redirect");
    assert!(
        matches!(&e, TaxiiError::Redirect { location, .. } if location == "https://elsewhere/taxii2/"),
        "{e}"
    );
    let e = client.discovery(&discovery).expect_err("too large");
    assert!(
        matches!(e, TaxiiError::ResponseTooLarge { limit: 256, .. }),
        "{e}"
    );
    let e = client.discovery(&discovery).expect_err("not JSON");
    assert!(matches!(e, TaxiiError::NotJson { .. }), "{e}");
    let e = client
        .discovery(&discovery)
        .expect_err("not a discovery resource");
    assert!(matches!(e, TaxiiError::Unexpected { .. }), "{e}");
    assert!(e.to_string().starts_with(&discovery), "{e}");
    let e = client
        .objects(&root, "c1", &ObjectQuery::default())
        .expect_err("bad date header");
    assert!(e.to_string().contains("X-TAXII-Date-Added-Last"), "{e}");
    let e = client.collections(&root).expect_err("502");
    assert_eq!(e.http_status(), Some(502));
    assert_eq!(
        e.to_string(),
        format!("{root}collections/: HTTP 502: <h1>Bad Gateway</h1>")
    );
    let e = client
        .add_objects(&root, "c1", &[serde_json::json!({})])
        .expect_err("413");
    assert!(matches!(e, TaxiiError::RequestTooLarge { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        format!("{root}collections/c1/objects/: 413 Content Too Large: Too big")
    );
}

#[test]
fn a_refused_connection_names_the_url() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/taxii2/", listener.local_addr().expect("address"));
    drop(listener);
    let e = Client::new(ClientOptions::new(Auth::None))
        .discovery(&url)
        .expect_err("refused");
    assert!(matches!(e, TaxiiError::Transport { .. }), "{e}");
    assert!(e.to_string().starts_with(&url), "{e}");
}
