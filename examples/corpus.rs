//! A deterministic corpus of tender documents for benchmarks: French
//! dossiers (RC, CCAP, CCTP) and English ones (ITT, SOW) of realistic prose,
//! written as Markdown, DOCX and PDF with the same text, and rule-triggering
//! sentences at known rates, so that findings can be counted.
//!
//! ```sh
//! cargo run --release --example corpus -- OUT [--size 100M] [--seed 42] [--formats md,docx,pdf]
//! ```
//!
//! `--size` is the Markdown size of each format's share (the same documents
//! in each format). `OUT/manifest.json` gives the seed, the files, the bytes
//! and the findings expected of the rules whose count the generator knows.

use docx_rs::{Docx, Paragraph, Run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// About forty pages of text a document.
const DOCUMENT_BYTES: usize = 120 * 1024;
/// One paragraph in this many carries a rule-triggering sentence.
const TRIGGER_EVERY: u32 = 25;

const FR_FILLER: &[&str] = &[
    "Le titulaire exécute les prestations conformément aux stipulations du présent document et aux règles de l'art.",
    "Les prestations comprennent l'analyse du besoin, le paramétrage, la reprise des données et la formation des agents.",
    "Le pouvoir adjudicateur se réserve la possibilité de ne pas donner suite à la consultation pour un motif d'intérêt général.",
    "Les délais d'exécution courent à compter de la notification du bon de commande correspondant.",
    "Le titulaire désigne un chef de projet, interlocuteur unique de la collectivité pendant toute la durée du marché.",
    "Chaque réunion de suivi donne lieu à un compte rendu adressé à la collectivité dans un délai de cinq jours ouvrés.",
    "Les prix sont réputés comprendre toutes les charges fiscales, parafiscales ou autres frappant obligatoirement les prestations.",
    "La vérification des prestations est effectuée dans les conditions prévues par le cahier des clauses administratives générales.",
    "Le titulaire est tenu à une obligation de confidentialité sur les informations dont il a connaissance à l'occasion du marché.",
    "Les candidats peuvent poser leurs questions sur le profil d'acheteur au plus tard dix jours avant la date limite de remise des offres.",
    "Le jugement des offres est effectué selon les critères pondérés définis ci-après.",
    "La valeur technique est appréciée au regard du mémoire technique remis par le candidat.",
    "Le titulaire garantit le bon fonctionnement de la solution pendant une durée de douze mois à compter de l'admission.",
    "Les pénalités de retard sont calculées par jour calendaire de retard, sans mise en demeure préalable.",
    "Le marché est conclu pour une durée d'un an, reconductible tacitement trois fois.",
    "La collectivité met à la disposition du titulaire les locaux nécessaires aux sessions de formation.",
    "Le titulaire assure la maintenance corrective et évolutive de la solution pendant toute la durée du marché.",
    "Les anomalies sont classées en trois niveaux de gravité, chacun assorti d'un délai de correction.",
    "Le titulaire produit un rapport d'activité trimestriel présentant les indicateurs de qualité de service.",
    "La réversibilité est organisée de manière à garantir la continuité du service à l'échéance du marché.",
    "Les données de la collectivité demeurent sa propriété exclusive pendant et après l'exécution du marché.",
    "Le titulaire respecte le règlement général sur la protection des données et tient un registre des traitements.",
    "Toute sous-traitance est soumise à l'acceptation préalable de la collectivité et à l'agrément de ses conditions de paiement.",
    "Le délai global de paiement est de trente jours à compter de la réception de la facture.",
    "Les factures sont déposées sur le portail de facturation électronique de l'État.",
    "Le candidat présente les moyens humains et techniques qu'il affecte à l'exécution des prestations.",
    "Une visite des sites est possible sur rendez-vous pendant la période de consultation.",
    "Le titulaire informe sans délai la collectivité de toute difficulté susceptible de retarder l'exécution.",
];

const FR_ARTICLES: &[&str] = &[
    "Pièces constitutives du marché",
    "Durée et délais d'exécution",
    "Modalités d'exécution des prestations",
    "Présentation des offres",
    "Critères de jugement des offres",
    "Prix et règlement",
    "Pénalités",
    "Garantie et maintenance",
    "Réversibilité",
    "Protection des données personnelles",
    "Sous-traitance",
    "Résiliation",
    "Suivi et pilotage",
    "Formation des agents",
    "Livrables",
];

const EN_FILLER: &[&str] = &[
    "The contractor shall perform the services in accordance with this document and with good industry practice.",
    "The services include discovery, configuration, data migration and training of the authority's staff.",
    "The authority reserves the right not to award a contract as a result of this invitation.",
    "Timescales run from the date of the purchase order concerned.",
    "The contractor shall appoint a project manager as the single point of contact for the authority.",
    "Each progress meeting is minuted and the minutes are sent to the authority within five working days.",
    "Prices include all taxes, charges and expenses of any kind related to the services.",
    "The authority will accept the deliverables once they have passed the acceptance tests described below.",
    "The contractor shall keep confidential any information it receives in the course of the contract.",
    "Bidders may ask clarification questions through the e-tendering portal until ten days before the deadline.",
    "Tenders are evaluated against the weighted criteria set out below.",
    "The contractor warrants the correct operation of the solution for twelve months from acceptance.",
    "Service credits apply for each day of delay beyond the agreed milestones.",
    "The contract is let for an initial period of two years with the option to extend by one year.",
    "The contractor shall provide a quarterly service report with the agreed performance indicators.",
    "The contractor shall comply with data protection law and keep a record of processing activities.",
    "Invoices are payable within thirty days of receipt of a valid invoice.",
    "Bidders shall describe the team and the resources they will dedicate to the contract.",
];

// No "Background" or "Scope" section: the brand rule treats them apart.
const EN_SECTIONS: &[&str] = &[
    "Requirements",
    "Reporting",
    "Deliverables",
    "Timeline and Milestones",
    "Evaluation Criteria",
    "Pricing and Payment",
    "Service Levels",
    "Acceptance",
    "Security and Data Protection",
    "Contract Management",
    "Exit and Transition",
];

/// A sentence that a rule reports, and how many findings of which rule it
/// yields.
struct Trigger {
    sentence: &'static str,
    findings: &'static [(&'static str, u32)],
    /// Only in these document kinds (empty: any).
    kinds: &'static [&'static str],
}

const FR_TRIGGERS: &[Trigger] = &[
    Trigger {
        sentence: "Le bordereau des prix est remis au format Excel.",
        findings: &[("brand-without-equivalent", 1)],
        kinds: &[],
    },
    Trigger {
        sentence: "Les plans sont fournis au format .dwg.",
        findings: &[("brand-without-equivalent", 1)],
        kinds: &[],
    },
    Trigger {
        sentence: "Le mémoire technique est remis sous Word.",
        findings: &[("brand-without-equivalent", 1)],
        kinds: &[],
    },
    // A control: « ou équivalent » is there, nothing to report.
    Trigger { sentence: "Le mémoire est remis au format Word ou équivalent.", findings: &[], kinds: &[] },
    Trigger {
        sentence: "Le présent marché est soumis au CCAG-TIC de 2009.",
        findings: &[("outdated-ccag-tic", 1)],
        kinds: &["ccap"],
    },
];

const EN_TRIGGERS: &[Trigger] = &[
    Trigger {
        sentence: "Deliverables shall be provided in Microsoft Word format.",
        findings: &[("brand-name-without-or-equal", 1)],
        kinds: &[],
    },
    Trigger {
        sentence: "The contractor shall deliver the schedule in Microsoft Project or equivalent.",
        findings: &[],
        kinds: &[],
    },
];

/// A generated document: its kind, its blocks (heading level, text).
struct Generated {
    name: String,
    blocks: Vec<(u8, String)>,
}

impl Generated {
    fn markdown(&self) -> String {
        let mut out = String::new();
        for (level, text) in &self.blocks {
            if *level > 0 {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
            }
            out.push_str(text);
            out.push_str("\n\n");
        }
        out
    }
}

fn document(
    rng: &mut fastrand::Rng,
    kind: &str,
    title: &str,
    french: bool,
    found: &mut BTreeMap<String, u64>,
) -> Generated {
    let (filler, articles, triggers) =
        if french { (FR_FILLER, FR_ARTICLES, FR_TRIGGERS) } else { (EN_FILLER, EN_SECTIONS, EN_TRIGGERS) };
    let town =
        ["Lanvéoc", "Saint-Brieuc", "Montbrison", "Aurillac", "Dole", "Millau", "Quimperlé"][rng.usize(..7)];
    let (subtitle, subject_heading, subject) = if french {
        (
            format!("Commune de {town} – Logiciel de gestion des services à la population"),
            "Article 1 – Objet".to_string(),
            "La consultation porte sur la fourniture, la mise en œuvre et la maintenance d'un logiciel de gestion des services à la population.".to_string(),
        )
    } else {
        (
            format!("{town} District Council – Case management system"),
            "1. Purpose".to_string(),
            "This procurement covers the supply, implementation and support of a case management system for the council's services.".to_string(),
        )
    };
    let mut blocks = vec![(1, title.to_string()), (0, subtitle), (2, subject_heading), (0, subject)];
    let mut size: usize = blocks.iter().map(|(_, t)| t.len()).sum();
    let mut n = 2;
    while size < DOCUMENT_BYTES {
        let heading = if french {
            format!("Article {n} – {}", articles[rng.usize(..articles.len())])
        } else {
            format!("{n}. {}", articles[rng.usize(..articles.len())])
        };
        size += heading.len();
        blocks.push((2, heading));
        for _ in 0..rng.usize(3..8) {
            let mut sentences: Vec<&str> =
                (0..rng.usize(3..7)).map(|_| filler[rng.usize(..filler.len())]).collect();
            if rng.u32(..TRIGGER_EVERY) == 0 {
                let t = &triggers[rng.usize(..triggers.len())];
                if t.kinds.is_empty() || t.kinds.contains(&kind) {
                    sentences.insert(rng.usize(..=sentences.len()), t.sentence);
                    for (rule, count) in t.findings {
                        *found.entry(rule.to_string()).or_default() += u64::from(*count);
                    }
                }
            }
            let paragraph = sentences.join(" ");
            size += paragraph.len();
            blocks.push((0, paragraph));
        }
        n += 1;
    }
    Generated { name: kind.to_string(), blocks }
}

fn docx(doc: &Generated) -> Vec<u8> {
    let mut d = Docx::new();
    for (level, text) in &doc.blocks {
        let p = Paragraph::new().add_run(Run::new().add_text(text.as_str()));
        d = d.add_paragraph(if *level > 0 { p.style(&format!("Heading{level}")) } else { p });
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut bytes).expect("docx-rs writes to memory");
    bytes.into_inner()
}

/// Windows-1252 bytes of `text`, for a PDF standard font.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '’' => 0x92,
            '–' => 0x96,
            '—' => 0x97,
            '“' => 0x93,
            '”' => 0x94,
            'œ' => 0x9c,
            'Œ' => 0x8c,
            c if (c as u32) < 0x80 || (0xa0..=0xff).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

fn pdf(doc: &Generated) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut pdf = Document::with_version("1.5");
    let pages_id = pdf.new_object_id();
    let regular = pdf.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let bold = pdf.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold", "Encoding" => "WinAnsiEncoding",
    });
    let resources = pdf.add_object(dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } });
    // Lines of at most 95 characters, 60 lines a page, a blank line between blocks.
    let mut lines: Vec<(bool, String)> = Vec::new();
    for (level, text) in &doc.blocks {
        let mut line = String::new();
        for word in text.split(' ') {
            if !line.is_empty() && line.chars().count() + word.chars().count() >= 95 {
                lines.push((*level > 0, std::mem::take(&mut line)));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push((*level > 0, line));
        lines.push((false, String::new()));
    }
    let mut kids = Vec::new();
    for page in lines.chunks(60) {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("TL", vec![12.into()]),
            Operation::new("Td", vec![50.into(), 790.into()]),
        ];
        for (heading, line) in page {
            ops.push(Operation::new("Tf", vec![if *heading { "F2" } else { "F1" }.into(), 10.into()]));
            ops.push(Operation::new("Tj", vec![Object::string_literal(win_ansi(line))]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops }.encode().expect("content encodes");
        let mut stream = Stream::new(dictionary! {}, content);
        let _ = stream.compress();
        let content_id = pdf.add_object(stream);
        kids.push(Object::from(pdf.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    pdf.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    pdf.trailer.set("Root", catalog);
    let mut out = Vec::new();
    pdf.save_to(&mut out).expect("lopdf writes to memory");
    out
}

fn parse_size(s: &str) -> Option<usize> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: usize = n.parse().ok()?;
    let unit = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        _ => return None,
    };
    Some(n * unit)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut size, mut seed) = (100 << 20, 42u64);
    let mut formats = vec!["md".to_string(), "docx".to_string(), "pdf".to_string()];
    while let Some(a) = args.next() {
        match a.as_str() {
            "--size" => size = args.next().and_then(|s| parse_size(&s)).unwrap_or_else(|| usage()),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| usage()),
            "--formats" => {
                formats = args.next().unwrap_or_else(|| usage()).split(',').map(String::from).collect()
            }
            _ if !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => usage(),
        }
    }
    let out = out.unwrap_or_else(|| usage());
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    let mut bytes: BTreeMap<String, u64> = BTreeMap::new();
    let mut written = 0usize;
    let mut files = 0u64;
    let mut dossier = 0;
    while written < size {
        dossier += 1;
        // One dossier in four is English.
        let french = dossier % 4 != 0;
        let pieces: &[(&str, &str)] = if french {
            &[
                ("rc", "Règlement de la consultation"),
                ("ccap", "Cahier des clauses administratives particulières"),
                ("cctp", "Cahier des clauses techniques particulières"),
            ]
        } else {
            &[("itt", "Invitation to Tender"), ("sow", "Statement of Work")]
        };
        for (kind, title) in pieces {
            let doc = document(&mut rng, kind, title, french, &mut expected);
            let md = doc.markdown();
            written += md.len();
            files += 1;
            for format in &formats {
                let dir = out.join(format).join(format!("dossier-{dossier:05}"));
                write(&dir, &format!("{}.{format}", doc.name), &mut bytes, format, || {
                    match format.as_str() {
                        "md" => md.clone().into_bytes(),
                        "docx" => docx(&doc),
                        "pdf" => pdf(&doc),
                        _ => usage(),
                    }
                });
            }
        }
    }
    let manifest = serde_json::json!({
        "seed": seed,
        "documents": files,
        "dossiers": dossier,
        "markdown_bytes": written,
        "bytes": bytes,
        "expected": expected,
    });
    let text = serde_json::to_string_pretty(&manifest).expect("JSON");
    std::fs::write(out.join("manifest.json"), text + "\n").expect("write the manifest");
    eprintln!(
        "{files} documents in {dossier} dossiers, {} MiB of Markdown, in {}",
        written >> 20,
        out.display()
    );
}

fn write(
    dir: &Path,
    name: &str,
    bytes: &mut BTreeMap<String, u64>,
    format: &str,
    make: impl FnOnce() -> Vec<u8>,
) {
    std::fs::create_dir_all(dir).expect("create the corpus folder");
    let data = make();
    *bytes.entry(format.to_string()).or_default() += data.len() as u64;
    std::fs::write(dir.join(name), data).expect("write a corpus file");
}

fn usage() -> ! {
    eprintln!("usage: corpus OUT [--size 100M] [--seed 42] [--formats md,docx,pdf]");
    std::process::exit(2)
}
