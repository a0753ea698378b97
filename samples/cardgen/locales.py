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


# -- the wider world (issue 13): locales drawn only when asked for ---------------------------
# ``LOCALES`` above stays the default draw, so the classic seeds give the same cards; these
# are used by ``world.make_world_person`` (``generate.py --world`` and the committed set's
# later cards).

#: locale -> (ISO region, language of the labels and titles, Faker locale for the names,
#: script of the card: latin | vi | ja | ko | zh | zh-Hant)
WORLD_LOCALES: dict[str, tuple[str, str, str, str]] = {
    "en_US": ("US", "en", "en_US", "latin"),
    "en_CA": ("CA", "en", "en_CA", "latin"),
    "en_GB": ("GB", "en", "en_GB", "latin"),
    "en_IE": ("IE", "en", "en_IE", "latin"),
    "de_DE": ("DE", "de", "de_DE", "latin"),
    "de_AT": ("AT", "de", "de_AT", "latin"),
    "de_CH": ("CH", "de", "de_CH", "latin"),
    "fr_CH": ("CH", "fr", "fr_CH", "latin"),
    "nl_NL": ("NL", "nl", "nl_NL", "latin"),
    "nl_BE": ("BE", "nl", "nl_BE", "latin"),
    "fr_BE": ("BE", "fr", "fr_BE", "latin"),
    "fr_FR": ("FR", "fr", "fr_FR", "latin"),
    "it_IT": ("IT", "it", "it_IT", "latin"),
    "es_ES": ("ES", "es", "es_ES", "latin"),
    "pt_PT": ("PT", "pt", "pt_PT", "latin"),
    "pt_BR": ("BR", "pt", "pt_BR", "latin"),
    "es_AR": ("AR", "es", "es_AR", "latin"),
    "es_MX": ("MX", "es", "es_MX", "latin"),
    "en_IN": ("IN", "en", "en_IN", "latin"),
    # Nepali cards for business print English; Faker's ne_NP names are in Devanagari
    "ne_NP": ("NP", "en", "en_IN", "latin"),
    # Singapore and Malaysia: English cards; names from Faker's romanized Chinese names
    "en_SG": ("SG", "en", "zh_CN", "latin"),
    "en_MY": ("MY", "en", "zh_CN", "latin"),
    "en_AE": ("AE", "en", "en_IN", "latin"),
    "en_AU": ("AU", "en", "en_AU", "latin"),
    "vi_VN": ("VN", "vi", "vi_VN", "vi"),
    "ja_JP": ("JP", "ja", "ja_JP", "ja"),
    "ko_KR": ("KR", "ko", "ko_KR", "ko"),
    "zh_CN": ("CN", "zh", "zh_CN", "zh"),
    "zh_TW": ("TW", "zh-Hant", "zh_TW", "zh-Hant"),
}

#: legal forms per region; "{}" is where the name goes (Asian forms often come first)
WORLD_LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "US": ("{} Inc.", "{} LLC", "{} Corp.", "{}, Inc.", "{} L.L.C."),
    "CA": ("{} Inc.", "{} Ltd.", "{} Corp.", "{} Limited"),
    "GB": ("{} Ltd", "{} Limited", "{} PLC", "{} LLP"),
    "IE": ("{} Ltd", "{} Limited", "{} DAC", "{} Teoranta"),
    "DE": ("{} GmbH", "{} AG", "{} GmbH & Co. KG", "{} SE"),
    "AT": ("{} GmbH", "{} AG", "{} KG", "{} Ges.m.b.H."),
    "CH": ("{} AG", "{} GmbH", "{} SA", "{} Sàrl"),
    "NL": ("{} B.V.", "{} N.V."),
    "BE": ("{} BV", "{} NV", "{} SA", "{} SRL", "{} bvba"),
    "FR": ("{} SAS", "{} SARL", "{} S.A."),
    "IT": ("{} S.r.l.", "{} S.p.A."),
    "ES": ("{} S.L.", "{} S.A."),
    "PT": ("{}, Lda.", "{} Lda", "{}, S.A."),
    "BR": ("{} Ltda.", "{} LTDA", "{} S.A.", "{} EIRELI", "{} ME"),
    "AR": ("{} S.A.", "{} S.R.L.", "{} SRL", "{} S.A.S."),
    "MX": ("{} S.A. de C.V.", "{}, S.A. de C.V.", "{} S. de R.L. de C.V."),
    "IN": ("{} Pvt. Ltd.", "{} Private Limited", "{} Pvt Ltd", "{} Ltd.", "{} LLP"),
    "NP": ("{} Pvt. Ltd.", "{} Private Limited", "{} P. Ltd."),
    "SG": ("{} Pte. Ltd.", "{} Pte Ltd", "{} Private Limited"),
    "MY": ("{} Sdn. Bhd.", "{} Sdn Bhd", "{} Berhad"),
    "AE": ("{} L.L.C.", "{} LLC", "{} FZE", "{} FZ-LLC", "{} DMCC"),
    "AU": ("{} Pty Ltd", "{} Pty. Ltd.", "{} Limited"),
    "VN": ("Công ty TNHH {}", "Công ty Cổ phần {}", "{} JSC", "{} Co., Ltd."),
    "JP": ("株式会社{}", "{}株式会社", "有限会社{}", "合同会社{}"),
    "KR": ("(주){}", "㈜{}", "주식회사 {}", "{} 주식회사"),
    "CN": ("{}有限公司", "{}股份有限公司", "{}集团有限公司"),
    "TW": ("{}股份有限公司", "{}有限公司", "{}企業社"),
}

#: Latin forms of the Asian legal forms, for the English line of a two-script card
WORLD_LEGAL_LATIN = {"JP": "{} Co., Ltd.", "KR": "{} Co., Ltd.", "CN": "{} Co., Ltd.",
                     "TW": "{} Co., Ltd.", "VN": "{} JSC"}

#: company words of the languages added for the world (the classic ones are above)
WORLD_COMPANY_WORDS = {
    "pt": ("Consultoria", "Logística", "Engenharia", "Sistemas", "Arquitetura", "Energia",
           "Tecnologia", "Construções", "Comunicação", "Alimentos"),
    "vi": ("Xây dựng", "Thương mại", "Công nghệ", "Vận tải", "Đầu tư", "Dịch vụ"),
    "ja": ("商事", "工業", "電機", "物産", "システム", "技研", "建設", "製作所"),
    "ko": ("전자", "건설", "테크", "솔루션", "물산", "엔지니어링", "산업"),
    "zh": ("科技", "电子", "贸易", "实业", "信息技术", "机械", "物流"),
    "zh-Hant": ("科技", "電子", "貿易", "實業", "資訊", "機械", "物流"),
}

WORLD_TITLES: dict[str, tuple[str | tuple[str, str], ...]] = {
    "pt": (("Diretor Comercial", "Diretora Comercial"), "Gerente de Projetos",
           ("Engenheiro de Software", "Engenheira de Software"), ("Sócio-Diretor", "Sócia-Diretora"),
           ("Consultor Sênior", "Consultora Sênior"), "Gerente de Contas"),
    "vi": ("Giám đốc", "Phó Giám đốc", "Trưởng phòng Kinh doanh", "Kỹ sư phần mềm",
           "Chuyên viên Tư vấn", "Kế toán trưởng"),
    "ja": ("代表取締役社長", "取締役", "部長", "課長", "主任", "エンジニア", "営業担当", "係長"),
    "ko": ("대표이사", "부장", "과장", "팀장", "차장", "선임연구원", "대리", "이사"),
    "zh": ("总经理", "董事长", "销售经理", "项目经理", "高级工程师", "副总经理", "主管"),
    "zh-Hant": ("總經理", "董事長", "業務經理", "專案經理", "資深工程師", "副總經理", "協理"),
}

#: departments printed on a line of their own under (Latin) or before (CJK) the title
WORLD_DEPARTMENTS = {
    "en": ("Corporate Sales", "Business Development Division", "Engineering Department",
           "Marketing & Communications", "Finance and Accounts", "International Business"),
    "de": ("Vertrieb Inland", "Abteilung Einkauf", "Technischer Kundendienst"),
    "fr": ("Direction commerciale", "Service export", "Département technique"),
    "nl": ("Afdeling Verkoop", "Technische Dienst"),
    "es": ("Departamento Comercial", "Área de Ingeniería", "Dirección de Operaciones"),
    "it": ("Ufficio Tecnico", "Direzione Commerciale"),
    "pt": ("Departamento Comercial", "Diretoria de Operações", "Área de Engenharia"),
    "vi": ("Phòng Kinh doanh", "Phòng Kỹ thuật", "Phòng Kế toán"),
    "ja": ("営業部", "技術開発部", "経営企画室", "海外事業部", "総務部"),
    "ko": ("영업팀", "기술연구소", "마케팅본부", "해외사업부", "경영지원팀"),
    "zh": ("销售部", "研发中心", "市场部", "国际业务部", "技术部"),
    "zh-Hant": ("業務部", "研發中心", "行銷部", "國際事業部", "技術部"),
}

#: lists of services / products printed on a card (truth: the note)
WORLD_SERVICES = {
    "en": ("Web Design", "Mobile Apps", "Cloud Hosting", "Digital Marketing", "SEO",
           "Import & Export", "Civil Works", "Interior Design", "Tax Filing", "Audit",
           "Logistics", "Customs Clearance", "Solar Installation", "IT Support"),
    "de": ("Heizung", "Sanitär", "Klima", "Elektro", "Beratung", "Planung", "Montage"),
    "fr": ("Conseil", "Formation", "Audit", "Installation", "Maintenance"),
    "nl": ("Advies", "Installatie", "Onderhoud", "Ontwerp"),
    "es": ("Consultoría", "Diseño", "Instalación", "Mantenimiento", "Importación"),
    "it": ("Progettazione", "Installazione", "Assistenza", "Consulenza"),
    "pt": ("Consultoria", "Projetos", "Instalação", "Manutenção", "Treinamento"),
    "vi": ("Thiết kế", "Thi công", "Bảo trì", "Tư vấn"),
    "ja": ("システム開発", "コンサルティング", "保守・運用", "設計・施工"),
    "ko": ("시스템 개발", "컨설팅", "유지보수", "설계·시공"),
    "zh": ("软件开发", "系统集成", "技术咨询", "进出口贸易"),
    "zh-Hant": ("軟體開發", "系統整合", "技術諮詢", "進出口貿易"),
}

WORLD_TAGLINES = {
    "pt": ("Desde 1985", "Qualidade e confiança", "Soluções sob medida"),
    "vi": ("Uy tín - Chất lượng", "Đối tác tin cậy"),
    "ja": ("信頼と技術で未来をつくる", "創業1960年"),
    "ko": ("고객과 함께 성장하는 기업", "신뢰와 기술"),
    "zh": ("诚信 专业 创新", "专注品质二十年"),
    "zh-Hant": ("誠信 專業 創新", "品質第一"),
}

#: words for "head office" and "branch" before an office's address
OFFICE_WORDS = {
    "en": (("Head Office", "Regd. Office", "Corporate Office"), ("Branch", "Branch Office",
                                                                   "Works", "Factory")),
    "de": (("Hauptsitz", "Zentrale"), ("Niederlassung", "Werk", "Filiale")),
    "fr": (("Siège social", "Siège"), ("Agence", "Succursale", "Usine")),
    "nl": (("Hoofdkantoor",), ("Vestiging", "Filiaal")),
    "es": (("Oficina central", "Casa matriz"), ("Sucursal", "Planta")),
    "it": (("Sede legale", "Sede"), ("Filiale", "Stabilimento")),
    "pt": (("Matriz", "Sede"), ("Filial", "Fábrica")),
    "vi": (("Trụ sở chính",), ("Chi nhánh", "Văn phòng đại diện")),
    "ja": (("本社",), ("支店", "営業所", "工場")),
    "ko": (("본사",), ("지사", "공장", "연구소")),
    "zh": (("总部", "总公司"), ("分公司", "工厂", "办事处")),
    "zh-Hant": (("總公司",), ("分公司", "工廠", "營業所")),
}

# labels of the added languages (the classic dicts above gain these keys)
PHONE_LABELS.update({
    "pt": {"work": (("T",), ("Tel.", "Telefone", "Fone")),
           "cell": (("M", "C"), ("Cel.", "Celular", "Telemóvel", "Tlm.")),
           "fax": (("F",), ("Fax",))},
    "vi": {"work": (("T",), ("ĐT", "Tel", "Điện thoại")),
           "cell": (("M",), ("DĐ", "Di động", "Mobile")),
           "fax": (("F",), ("Fax",))},
    "ja": {"work": (("T",), ("TEL", "Tel", "電話")),
           "cell": (("M",), ("携帯", "Mobile", "携帯電話")),
           "fax": (("F",), ("FAX", "Fax"))},
    "ko": {"work": (("T",), ("Tel", "전화", "T.")),
           "cell": (("M", "H.P"), ("휴대폰", "Mobile", "H.P", "HP")),
           "fax": (("F",), ("Fax", "팩스", "F."))},
    "zh": {"work": (("T",), ("电话", "Tel", "座机")),
           "cell": (("M",), ("手机", "Mobile", "Mob")),
           "fax": (("F",), ("传真", "Fax"))},
    "zh-Hant": {"work": (("T",), ("電話", "Tel", "TEL")),
                "cell": (("M",), ("手機", "行動", "Mobile")),
                "fax": (("F",), ("傳真", "Fax"))},
})
SWITCHBOARD_LABELS.update({"pt": "PABX", "vi": "Tổng đài", "ja": "代表", "ko": "대표",
                           "zh": "总机", "zh-Hant": "總機"})
EMAIL_LABELS.update({"pt": ("E", "E-mail", "Email"), "vi": ("E", "Email"),
                     "ja": ("E", "E-mail", "Mail"), "ko": ("E", "E-mail", "이메일"),
                     "zh": ("E", "邮箱", "Email"), "zh-Hant": ("E", "信箱", "Email")})
WEB_LABELS.update({"pt": ("W", "Site"), "vi": ("W", "Web", "Website"), "ja": ("W", "URL"),
                   "ko": ("W", "Web", "홈페이지"), "zh": ("W", "网址", "Web"),
                   "zh-Hant": ("W", "網址", "Web")})
OLD_TITLES.update({"pt": ("Assistente Comercial", "Analista"), "vi": ("Nhân viên",),
                   "ja": ("担当",), "ko": ("사원",), "zh": ("专员",), "zh-Hant": ("專員",)})
