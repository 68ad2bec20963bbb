use trellis::load::load_file;
use trellis::parse::{parse_term_file, ParseContext};
fn main() {
    for a in std::env::args().skip(1) {
        let p = std::path::Path::new(&a);
        let s = load_file(p.parent().unwrap(), p).unwrap();
        let (f, d) = parse_term_file(&s, &ParseContext::default());
        println!("== {} ({} ideas) title={}", a, f.ideas.len(), f.term.title);
        for i in &f.ideas {
            println!("* [{}] {} | {} | cat={:?} draft={} shape={:?}", i.source.line, i.organization, i.title, i.category, i.draft, i.shape);
            println!("    diff={:?}->{:?} size={:?}->{:?} {:?}", i.difficulty, i.difficulty_level, i.size, i.size_class, i.size_hours);
            println!("    mentors={:?} notes={:?}", i.mentors.iter().map(|m| format!("{}@{}{}", m.name, m.github.clone().unwrap_or_default(), m.role.as_ref().map(|r| format!("/{r}")).unwrap_or_default())).collect::<Vec<_>>(), i.mentor_notes);
            println!("    skills={:?}", i.skills);
            println!("    desc={:?}", i.description.as_deref().map(|d| d.chars().take(60).collect::<String>()));
            println!("    fields={:?}", i.fields.iter().map(|f| format!("{}={:?}", f.label, f.kind)).collect::<Vec<_>>());
        }
        if std::env::var("DIAGS").is_ok() { for x in &d { println!("  {} {}:{} {}", x.code, x.line, x.column, x.message); } }
    }
}
