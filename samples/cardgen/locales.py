"""Per-language word lists: titles, company words and legal suffixes, phone labels, countries.

Only data lives here; ``people.py`` draws from it.
"""

from __future__ import annotations

#: Faker locale -> (ISO region for phonenumbers, language, weight in "mixed" draws)
LOCALES: dict[str, tuple[str, str, float]] = {
    "en_US": ("US", "en", 1.6),
    "en_GB": ("GB", "en", 1.2),
    "de_DE": ("DE", "de", 1.6),
    "fr_FR": ("FR", "fr", 1.0),
    "es_ES": ("ES", "es", 0.8),
    "it_IT": ("IT", "it", 0.8),
    "nl_NL": ("NL", "nl", 0.8),
}

#: region -> country names as printed (local, English)
COUNTRIES = {
    "US": ("USA", "United States"),
    "GB": ("United Kingdom", "UK"),
    "DE": ("Deutschland", "Germany"),
    "FR": ("France", "France"),
    "ES": ("España", "Spain"),
    "IT": ("Italia", "Italy"),
    "NL": ("Nederland", "The Netherlands"),
}

TLDS = {
    "US": ("com", "com", "com", "io", "net"),
    "GB": ("co.uk", "co.uk", "com", "uk"),
    "DE": ("de", "de", "de", "com", "eu"),
    "FR": ("fr", "fr", "com", "eu"),
    "ES": ("es", "es", "com"),
    "IT": ("it", "it", "com", "eu"),
    "NL": ("nl", "nl", "com", "eu"),
}

LEGAL_SUFFIXES = {
    "US": ("Inc.", "LLC", "Corp.", "Inc", "Co."),
    "GB": ("Ltd", "Ltd.", "Limited", "PLC", "LLP"),
    "DE": ("GmbH", "GmbH", "AG", "GmbH & Co. KG", "KG", "e.K."),
    "FR": ("SARL", "SAS", "S.A.", "SA"),
    "ES": ("S.L.", "S.A.", "S.L.U.", "SL"),
    "IT": ("S.r.l.", "S.p.A.", "srl", "S.r.l."),
    "NL": ("B.V.", "BV", "N.V."),
}

COMPANY_WORDS = {
    "en": ("Consulting", "Analytics", "Logistics", "Systems", "Design", "Engineering",
           "Partners", "Labs", "Solutions", "Software", "Capital", "Media", "Architects",
           "Robotics", "Energy", "Foods", "Dynamics", "Networks", "Advisory", "Instruments"),
    "de": ("Beratung", "Logistik", "Maschinenbau", "Software", "Immobilien", "Medientechnik",
           "Elektrotechnik", "Architekten", "Steuerberatung", "Solartechnik", "Lebensmittel",
           "Systemhaus", "Anlagenbau", "Werkzeugbau", "Verpackungen", "Messtechnik"),
    "fr": ("Conseil", "Logistique", "Ingénierie", "Informatique", "Architecture", "Énergie",
           "Médias", "Systèmes", "Transports", "Bâtiment", "Industries"),
    "es": ("Consultoría", "Logística", "Ingeniería", "Sistemas", "Arquitectura", "Energía",
           "Tecnología", "Construcciones", "Asesores", "Comunicación"),
    "it": ("Consulenza", "Logistica", "Ingegneria", "Sistemi", "Architettura", "Energia",
           "Tecnologie", "Costruzioni", "Meccanica", "Comunicazione"),
    "nl": ("Advies", "Logistiek", "Techniek", "Software", "Architecten", "Energie", "Media",
           "Installatietechniek", "Bouw", "Groep"),
}

#: Company names built as "<word> <surname>" in these languages, "<surname> <word>" otherwise.
WORD_FIRST = {"fr", "es", "it"}

# Titles: a string, or (male, female) when the language marks gender.
TITLES: dict[str, tuple[str | tuple[str, str], ...]] = {
    "en": ("Chief Executive Officer", "Managing Director", "Head of Sales",
           "Senior Software Engineer", "Account Manager", "Marketing Director",
           "Project Manager", "Business Development Manager",
           "Senior Vice President, Global Sales", "Chief Technology Officer",
           "Product Designer", "Partner", "Director of Operations", "Customer Success Lead",
           "Principal Consultant", "Sales Representative", "Data Scientist", "Office Manager",
           "Founder & CEO", "Procurement Specialist", "Regional Sales Manager EMEA",
           "Architect", "Attorney at Law", "Financial Advisor",
           "Head of Research and Development", "Senior Manager, Strategic Partnerships"),
    "de": (("Geschäftsführer", "Geschäftsführerin"), ("Vertriebsleiter", "Vertriebsleiterin"),
           ("Leiter Einkauf", "Leiterin Einkauf"), ("Projektleiter", "Projektleiterin"),
           ("Softwareentwickler", "Softwareentwicklerin"), "Key Account Manager",
           ("Prokurist", "Prokuristin"), ("Steuerberater", "Steuerberaterin"),
           ("Rechtsanwalt", "Rechtsanwältin"), ("Architekt", "Architektin"),
           ("Leiter Marketing & Kommunikation", "Leiterin Marketing & Kommunikation"),
           ("Inhaber", "Inhaberin"), ("Vorstand", "Vorständin"),
           ("Teamleiter Kundenservice", "Teamleiterin Kundenservice"), "Senior Consultant",
           "Head of Business Development",
           ("Technischer Leiter Forschung und Entwicklung",
            "Technische Leiterin Forschung und Entwicklung")),
    "fr": (("Directeur général", "Directrice générale"),
           ("Responsable commercial", "Responsable commerciale"), "Chef de projet",
           ("Ingénieur logiciel", "Ingénieure logiciel"),
           ("Directeur marketing", "Directrice marketing"),
           ("Consultant senior", "Consultante senior"), ("Gérant", "Gérante"),
           "Responsable des achats", ("Chargé d'affaires", "Chargée d'affaires"),
           "Architecte", ("Avocat associé", "Avocate associée"),
           ("Directeur du développement international",
            "Directrice du développement international")),
    "es": (("Director General", "Directora General"), ("Jefe de Ventas", "Jefa de Ventas"),
           "Gerente de Proyectos", ("Ingeniero de Software", "Ingeniera de Software"),
           ("Director de Marketing", "Directora de Marketing"),
           ("Consultor Sénior", "Consultora Sénior"), "Responsable de Compras",
           ("Socio", "Socia"), ("Arquitecto", "Arquitecta"), ("Abogado", "Abogada"),
           ("Director de Desarrollo de Negocio", "Directora de Desarrollo de Negocio")),
    "it": ("Amministratore Delegato", ("Direttore Commerciale", "Direttrice Commerciale"),
           "Responsabile Acquisti", "Project Manager", "Ingegnere del Software",
           "Responsabile Marketing", "Consulente Senior", "Architetto", "Avvocato",
           "Titolare", "Responsabile Sviluppo Commerciale Estero"),
    "nl": ("Algemeen Directeur", "Accountmanager", "Projectleider", "Software-ontwikkelaar",
           "Hoofd Marketing", "Senior Adviseur", "Eigenaar", "Inkoper", "Architect",
           "Advocaat", "Teamleider Klantenservice", "Manager Bedrijfsontwikkeling Benelux"),
}

#: Older titles for the same person in the contact book (a promotion since).
OLD_TITLES = {
    "en": ("Sales Associate", "Junior Consultant", "Software Engineer", "Assistant Manager",
           "Marketing Coordinator", "Analyst"),
    "de": ("Sachbearbeiter", "Junior Consultant", "Werkstudent", "Assistent der Geschäftsführung",
           "Vertriebsmitarbeiter"),
    "fr": ("Assistant commercial", "Consultant junior", "Stagiaire", "Chargé de mission"),
    "es": ("Asistente Comercial", "Consultor Júnior", "Técnico de Ventas"),
    "it": ("Assistente Commerciale", "Consulente Junior", "Impiegato Amministrativo"),
    "nl": ("Junior Adviseur", "Medewerker Verkoop", "Stagiair"),
}

DEPARTMENTS = {
    "en": ("Sales & Marketing", "Research and Development", "Customer Service", "Finance",
           "Human Resources"),
    "de": ("Vertrieb", "Einkauf", "Forschung & Entwicklung", "Kundenservice", "Personal"),
    "fr": ("Service commercial", "Recherche et développement", "Service client"),
    "es": ("Departamento Comercial", "I+D", "Atención al Cliente"),
    "it": ("Ufficio Commerciale", "Ricerca e Sviluppo", "Servizio Clienti"),
    "nl": ("Verkoop", "Klantenservice", "Inkoop"),
}

NAME_PREFIXES = {
    "US": ("Dr.",), "GB": ("Dr",), "DE": ("Dr.", "Prof. Dr.", "Dipl.-Ing."),
    "FR": ("Dr",), "ES": ("Dr.",), "IT": ("Dott.", "Ing.", "Avv.", "Dott.ssa"),
    "NL": ("Ir.", "Drs.", "Mr.", "Dr."),
}
NAME_SUFFIXES = {"US": ("PhD", "MBA", "CPA", "Jr."), "GB": ("MBE", "PhD")}

#: phone labels: language -> type -> (short labels, long labels)
PHONE_LABELS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "en": {"work": (("T", "P", "O", "D"), ("Tel", "Tel.", "Phone", "Office", "Direct")),
           "cell": (("M", "C"), ("Mob", "Mobile", "Cell", "Mob.")),
           "fax": (("F",), ("Fax",))},
    "de": {"work": (("T",), ("Tel.", "Telefon", "Büro", "Fon", "Durchwahl")),
           "cell": (("M",), ("Mobil", "Handy", "Mob.", "Mobil.")),
           "fax": (("F",), ("Fax", "Telefax"))},
    "fr": {"work": (("T",), ("Tél.", "Tél", "Bureau", "Ligne directe")),
           "cell": (("M", "P"), ("Mob.", "Portable", "Mobile")),
           "fax": (("F",), ("Fax", "Télécopie"))},
    "es": {"work": (("T",), ("Tel.", "Teléfono", "Oficina", "Tlf.")),
           "cell": (("M",), ("Móvil", "Móv.", "Cel.")),
           "fax": (("F",), ("Fax",))},
    "it": {"work": (("T",), ("Tel.", "Telefono", "Ufficio")),
           "cell": (("M", "C"), ("Cell.", "Cellulare", "Mob.")),
           "fax": (("F",), ("Fax",))},
    "nl": {"work": (("T",), ("Tel.", "Telefoon", "Kantoor")),
           "cell": (("M",), ("Mob.", "Mobiel", "GSM")),
           "fax": (("F",), ("Fax",))},
}
SWITCHBOARD_LABELS = {"en": "Main", "de": "Zentrale", "fr": "Standard", "es": "Centralita",
                      "it": "Centralino", "nl": "Algemeen"}

EMAIL_LABELS = {"en": ("E", "Email", "E-mail", "Mail"), "de": ("E", "E-Mail", "Mail"),
                "fr": ("E", "E-mail", "Courriel", "Mél."), "es": ("E", "Email", "Correo"),
                "it": ("E", "Email", "E-mail"), "nl": ("E", "E-mail", "Mail")}
WEB_LABELS = {"en": ("W", "Web"), "de": ("W", "Web", "Internet"), "fr": ("W", "Web", "Site"),
              "es": ("W", "Web"), "it": ("W", "Web", "Sito"), "nl": ("W", "Web", "Website")}

#: Phone number prefixes (national significant number starts) that look real per region.
PHONE_PREFIXES = {
    "US": {"fixed": ("212", "415", "312", "617", "303", "206", "512", "404", "646", "718"),
           "mobile": ("917", "347", "415", "312", "720", "206", "512", "646")},
    "GB": {"fixed": ("20", "161", "131", "113", "117", "121", "1223", "1865"),
           "mobile": ("7700", "7911", "7723", "7412", "7535", "7824", "7960")},
    "DE": {"fixed": ("30", "40", "89", "69", "221", "711", "211", "341", "511", "621"),
           "mobile": ("151", "160", "170", "171", "172", "175", "176", "177", "178", "152")},
    "FR": {"fixed": ("1", "2", "3", "4", "5"), "mobile": ("6", "7")},
    "ES": {"fixed": ("91", "93", "96", "95", "94", "976"),
           "mobile": ("6", "71", "72", "73")},
    "IT": {"fixed": ("02", "06", "011", "055", "081", "051", "045"),
           "mobile": ("320", "333", "339", "347", "348", "349", "366", "380", "392")},
    "NL": {"fixed": ("20", "10", "70", "30", "40", "50"), "mobile": ("6",)},
}

TAGLINES = {
    "en": ("Engineering what matters", "Since 1987", "Your partner in logistics",
           "Design. Build. Deliver.", "Trusted advisors", "Member of the ACME Group"),
    "de": ("Seit 1952 in Familienhand", "Ihr Partner für Qualität", "Meisterbetrieb",
           "Zertifiziert nach ISO 9001", "Technik, die bewegt"),
    "fr": ("Depuis 1975", "Votre partenaire de confiance", "L'excellence au quotidien"),
    "es": ("Desde 1980", "Su socio de confianza", "Calidad y servicio"),
    "it": ("Dal 1968", "Qualità italiana", "Il vostro partner di fiducia"),
    "nl": ("Sinds 1990", "Uw partner in techniek", "Kwaliteit met passie"),
}
