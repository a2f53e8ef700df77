//! Interoperability with a FHIR SDC renderer this project did not write:
//! LHC-Forms (the U.S. National Library of Medicine's, from the npm registry,
//! fetched by `cargo xtask setup` into `target/lforms/`) renders the
//! committed Questionnaire with no terminology server, fills every choice
//! list, takes a complete intake's answers and writes its own
//! QuestionnaireResponse; the receiver accepts that response and stores the
//! intake exactly as it was entered.

use intake_core::fhir::{to_questionnaire_response, SIGNATURE_EXTENSION};
use intake_core::Submission;
use intake_e2e::bench::StaticSite;
use intake_e2e::{workspace_root, Browser, Receiver};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The page that loads LHC-Forms as its README says, with a function the
/// test calls to render a Questionnaire with answers and read the response.
const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="stylesheet" href="webcomponent/styles.css">
<script src="webcomponent/assets/lib/zone.min.js"></script>
<script src="webcomponent/runtime.js" type="module"></script>
<script src="webcomponent/polyfills.js" type="module"></script>
<script src="webcomponent/main.js" type="module"></script>
<script src="fhir/R4/lformsFHIR.min.js" defer></script>
<script src="render.js" defer></script>
</head><body><main><div id="form"></div></main></body></html>"#;

const RENDER: &str = r#"window.renderIntake = async (questionnaire, answers) => {
  await LForms.Util.addFormToPage(questionnaire, 'form',
    { fhirVersion: 'R4', questionnaireResponse: answers });
  for (let i = 0; i < 100 && !document.querySelector('#form wc-lhc-form input'); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
  // The answer list LHC-Forms built for each choice item.
  const lists = {};
  (function walk(items) {
    for (const item of items || []) {
      if (Array.isArray(item.answers)) {
        lists[item.questionCode] = item.answers.map(a => a.code + '|' + (a.text || ''));
      }
      walk(item.items);
    }
  })(LForms.Util.getFormData('#form').items);
  const inputs = document.querySelectorAll('#form wc-lhc-form input').length;
  const response = LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', '#form');
  return { lists, inputs, response };
};
"#;

fn example() -> Submission {
    serde_json::from_str(include_str!("../../docs/example-submission.json")).expect("example")
}

/// POSTs `body` to the receiver; the status and the reply's JSON.
async fn post(receiver: &Receiver, path: &str, key: &str, body: &str) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(receiver.addr)
        .await
        .expect("connect");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n\
         Idempotency-Key: {key}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.expect("read");
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_independent_sdc_renderer_fills_every_list_and_its_response_is_stored_as_entered() {
    let site = workspace_root().join("target/lforms");
    assert!(
        site.join("webcomponent/main.js").exists(),
        "LHC-Forms is missing: run `cargo xtask setup`"
    );
    std::fs::write(site.join("index.html"), PAGE).expect("write the page");
    std::fs::write(site.join("render.js"), RENDER).expect("write the script");
    let server = StaticSite::start(site).await;
    let receiver = Receiver::start(None).await;
    let browser = Browser::start().await;
    browser.open(&server.url("/index.html")).await;
    for _ in 0..200 {
        let ready = browser
            .eval("return !!(window.LForms && LForms.FHIR && LForms.Util && window.renderIntake);")
            .await;
        if ready == json!(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // The Questionnaire as committed, and a complete intake's answers.
    let questionnaire: Value = serde_json::from_str(include_str!(
        "../../docs/massage-intake-2.questionnaire.json"
    ))
    .expect("questionnaire");
    let entered = example();
    let ours = to_questionnaire_response(&entered);
    let rendered = browser
        .driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.renderIntake(arguments[0], arguments[1])
               .then(done, e => done({ error: String(e) }));",
            vec![questionnaire.clone(), ours.clone()],
        )
        .await
        .expect("render")
        .json()
        .clone();
    assert_eq!(rendered["error"], Value::Null, "{rendered}");
    assert!(rendered["inputs"].as_u64().unwrap_or(0) > 20, "{rendered}");

    // Every choice list filled from the contained value sets, with the words.
    fn choice_items(items: &Value, out: &mut Vec<(String, String)>) {
        for item in items.as_array().into_iter().flatten() {
            if let Some(set) = item["answerValueSet"].as_str() {
                out.push((
                    item["linkId"].as_str().unwrap_or_default().to_owned(),
                    set.trim_start_matches('#').to_owned(),
                ));
            }
            choice_items(&item["item"], out);
        }
    }
    let mut choices = Vec::new();
    choice_items(&questionnaire["item"], &mut choices);
    assert_eq!(choices.len(), 11, "{choices:?}");
    for (link, set) in &choices {
        let value_set = questionnaire["contained"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|vs| vs["id"] == set.as_str())
            .expect(set);
        let expected: Vec<String> = value_set["expansion"]["contains"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "{}|{}",
                    c["code"].as_str().unwrap_or_default(),
                    c["display"].as_str().unwrap_or_default()
                )
            })
            .collect();
        let shown: Vec<String> = serde_json::from_value(rendered["lists"][link].clone())
            .unwrap_or_else(|_| panic!("no list for {link}: {}", rendered["lists"]));
        assert_eq!(shown, expected, "{link}");
    }

    // The renderer's own response, with the patient's signature added as the
    // signing step of an SDC app does (LHC-Forms has no signature pad).
    let mut response = rendered["response"].clone();
    assert_eq!(response["resourceType"], "QuestionnaireResponse");
    assert_eq!(response["id"], Value::Null, "the renderer's, not ours");
    let signature = ours["extension"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["url"] == SIGNATURE_EXTENSION)
        .cloned()
        .expect("signature");
    // As any SDC app writes it: the consent-signature type only, not the
    // intake's own signature-method coding (the format says it is drawn).
    let mut signature = signature;
    if let Some(types) = signature["valueSignature"]["type"].as_array_mut() {
        types.retain(|t| t["system"] == "urn:iso-astm:E1762-95:2013");
    }
    response["extension"] = json!([signature]);
    let (status, reply) = post(
        &receiver,
        intake_receiver::FHIR_RESPONSES_PATH,
        &entered.submission_id,
        &response.to_string(),
    )
    .await;
    assert_eq!(status, 201, "{reply}");

    // Stored exactly as entered: every answer, the derived flags; only the
    // time of sending is the renderer's.
    let rows = receiver.rows();
    assert_eq!(rows.len(), 1);
    let mut expected = entered.clone();
    expected.submitted_at = response["authored"].as_str().unwrap_or_default().to_owned();
    expected.flags = intake_core::compute_flags(&expected);
    assert_eq!(rows[0].2, serde_json::to_value(&expected).expect("json"));
    browser.quit().await;
}
