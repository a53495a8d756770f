"""Vocabularies of the demo world: segments, countries, names, channels (canonical and raw),
ticket categories and root causes, survey catalog and comments.

Data only. The raw channel codes and the category -> touchpoint map follow the raw contract's
tables; `seeds/reference/` agrees with them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# fmt: off
SEGMENTS = ("enterprise", "smb", "consumer")
SEG_P = (0.06, 0.30, 0.64)

# code, weight, phone prefix, company suffix, top-level domain
COUNTRIES = (
    ("US", 22, "+1", "Inc.", "com"), ("GB", 10, "+44", "Ltd", "co.uk"),
    ("DE", 10, "+49", "GmbH", "de"), ("FR", 7, "+33", "SAS", "fr"),
    ("ES", 8, "+34", "S.L.", "es"), ("IT", 5, "+39", "S.r.l.", "it"),
    ("NL", 4, "+31", "B.V.", "nl"), ("MX", 5, "+52", "S.A. de C.V.", "mx"),
    ("BR", 5, "+55", "Ltda.", "com.br"), ("CA", 4, "+1", "Inc.", "ca"),
    ("AU", 3, "+61", "Pty Ltd", "com.au"), ("SE", 2, "+46", "AB", "se"),
    ("PL", 2, "+48", "sp. z o.o.", "pl"), ("PT", 2, "+351", "Lda.", "pt"),
    ("IE", 2, "+353", "Ltd", "ie"), ("CH", 2, "+41", "AG", "ch"),
    ("AR", 2, "+54", "S.A.", "com.ar"), ("CO", 2, "+57", "S.A.S.", "co"),
    ("CL", 1, "+56", "SpA", "cl"), ("JP", 2, "+81", "K.K.", "jp"),
    ("IN", 2, "+91", "Pvt Ltd", "in"),
)
COMPANY_PREFIX = (
    ("Northwind", "northwind"), ("Acme", "acme"), ("Globex", "globex"), ("Initech", "initech"),
    ("Umbrella", "umbrella"), ("Stark", "stark"), ("Wayne", "wayne"), ("Tyrell", "tyrell"),
    ("Cyberdyne", "cyberdyne"), ("Hooli", "hooli"), ("Vandelay", "vandelay"),
    ("Aperture", "aperture"), ("Monarch", "monarch"), ("Oceanic", "oceanic"),
    ("Sterling", "sterling"), ("Blue Harbor", "blueharbor"), ("Silver Peak", "silverpeak"),
    ("Red Mesa", "redmesa"), ("Nordlicht", "nordlicht"), ("Sol y Mar", "solymar"),
    ("Rivière", "riviere"), ("Kaiser", "kaiser"), ("Atlas", "atlas"), ("Orion", "orion"),
    ("Zenith", "zenith"), ("Meridian", "meridian"), ("Quantum", "quantum"),
    ("Pinecrest", "pinecrest"), ("Lumen", "lumen"), ("Andes", "andes"), ("Fjord", "fjord"),
    ("Sakura", "sakura"), ("Ganges", "ganges"), ("Bravo", "bravo"), ("Halcyon", "halcyon"),
)
COMPANY_CORE = (
    ("Logistics", "logistics"), ("Foods", "foods"), ("Health", "health"),
    ("Energy", "energy"), ("Retail", "retail"), ("Software", "software"),
    ("Manufacturing", "mfg"), ("Media", "media"), ("Travel", "travel"),
    ("Insurance", "insurance"), ("Telecom", "telecom"), ("Consulting", "consulting"),
    ("Construction", "construction"), ("Pharma", "pharma"), ("Textiles", "textiles"),
    ("Automotive", "auto"), ("Analytics", "analytics"), ("Hotels", "hotels"),
)
# Names with commas, quotes, ampersands and accents exercise CSV quoting and UTF-8.
QUIRKY_COMPANIES = (
    "Smith, Jones & Co", 'The "Best" Widgets Ltd', "Café Olé, S.L.", "Müller & Söhne GmbH",
    "O'Brien Brothers", "Ñandú Servicios, S.A.", "Østergaard ApS", "Łódź Tech sp. z o.o.",
)
FIRST = (
    ("James", "james"), ("Mary", "mary"), ("John", "john"), ("Patricia", "patricia"),
    ("Robert", "robert"), ("Jennifer", "jennifer"), ("Michael", "michael"), ("Linda", "linda"),
    ("David", "david"), ("Elizabeth", "elizabeth"), ("María", "maria"), ("José", "jose"),
    ("Lucía", "lucia"), ("Javier", "javier"), ("Sofía", "sofia"), ("Carmen", "carmen"),
    ("Pedro", "pedro"), ("Ana", "ana"), ("Jürgen", "juergen"), ("Lena", "lena"),
    ("Lukas", "lukas"), ("Anna", "anna"), ("Felix", "felix"), ("Émilie", "emilie"),
    ("Léa", "lea"), ("Hugo", "hugo"), ("Chloé", "chloe"), ("Luca", "luca"),
    ("Giulia", "giulia"), ("Marco", "marco"), ("Francesca", "francesca"), ("João", "joao"),
    ("Beatriz", "beatriz"), ("Thiago", "thiago"), ("Sven", "sven"), ("Ingrid", "ingrid"),
    ("Søren", "soren"), ("Aoife", "aoife"), ("Siobhán", "siobhan"), ("Zoë", "zoe"),
    ("Priya", "priya"), ("Arjun", "arjun"), ("Yuki", "yuki"), ("Haruto", "haruto"),
    ("Wei", "wei"), ("Mei", "mei"), ("Olga", "olga"), ("Piotr", "piotr"),
    ("Agnieszka", "agnieszka"), ("Fatima", "fatima"), ("Omar", "omar"), ("Aisha", "aisha"),
    ("Noah", "noah"), ("Emma", "emma"), ("Liam", "liam"), ("Olivia", "olivia"),
    ("Ethan", "ethan"), ("Ava", "ava"), ("Mateo", "mateo"), ("Valentina", "valentina"),
)
LAST = (
    ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"),
    ("Jones", "jones"), ("Miller", "miller"), ("Davis", "davis"), ("García", "garcia"),
    ("Rodríguez", "rodriguez"), ("Martínez", "martinez"), ("López", "lopez"),
    ("González", "gonzalez"), ("Pérez", "perez"), ("Müller", "mueller"), ("Schmidt", "schmidt"),
    ("Schneider", "schneider"), ("Fischer", "fischer"), ("Weber", "weber"),
    ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"),
    ("Lefèvre", "lefevre"), ("Rossi", "rossi"), ("Russo", "russo"), ("Ferrari", "ferrari"),
    ("Silva", "silva"), ("Santos", "santos"), ("Oliveira", "oliveira"),
    ("Andersson", "andersson"), ("Johansson", "johansson"), ("Nielsen", "nielsen"),
    ("Kowalski", "kowalski"), ("Nowak", "nowak"), ("O'Brien", "obrien"), ("Murphy", "murphy"),
    ("Kelly", "kelly"), ("Tanaka", "tanaka"), ("Suzuki", "suzuki"), ("Sato", "sato"),
    ("Patel", "patel"), ("Sharma", "sharma"), ("Singh", "singh"), ("Kim", "kim"),
    ("Lee", "lee"), ("Chen", "chen"), ("Wang", "wang"), ("Nguyen", "nguyen"),
    ("van der Berg", "vanderberg"), ("de Jong", "dejong"), ("Novák", "novak"),
    ("Yılmaz", "yilmaz"), ("Haddad", "haddad"), ("Costa", "costa"), ("Ramírez", "ramirez"),
)
FREEMAIL = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "gmx.de",
             "hotmail.es", "orange.fr")

# Canonical channels (contract table) and the raw codes written for each, with weights.
# Variants in case and surrounding spaces are deliberate: staging must trim + lower-case.
CHANNELS = ("phone", "email", "chat", "social", "web", "store", "partner", "unknown")
RAW_CHANNELS: dict[str, tuple[tuple[str, float], ...]] = {
    "phone": (("phone", 40), ("Phone", 12), (" Phone", 4), ("PHONE", 3), ("voice", 10),
              ("call", 14), ("Call", 4), ("ivr", 10), ("IVR", 3)),
    "email": (("email", 45), ("Email", 10), ("E-Mail", 8), ("e-mail", 10), ("EMAIL", 4),
              ("mail", 12), (" email ", 4), ("Mail", 7)),
    "chat": (("chat", 30), ("Chat", 8), ("live_chat", 20), ("Live_Chat", 4), ("whatsapp", 13),
             ("WhatsApp", 12), ("sms", 9), ("SMS", 4)),
    "social": (("twitter", 20), ("Twitter", 5), ("x", 12), ("X", 4), ("facebook", 18),
               ("Facebook", 7), ("instagram", 12), ("Instagram", 5), ("social", 14),
               (" Social", 3)),
    "web": (("web", 28), ("Web", 6), ("web_form", 20), ("Web_Form", 4), (" web", 4),
            ("portal", 15), ("Portal", 5), ("app", 15), ("APP", 3)),
    "store": (("store", 40), ("Store", 10), ("branch", 25), ("in_person", 20),
              ("In_Person", 5)),
    "partner": (("partner", 50), ("Partner", 10), ("reseller", 33), ("Reseller", 7)),
    "unknown": (("fax", 60), ("Fax", 10), ("telex", 30)),
}
CH = {c: i for i, c in enumerate(CHANNELS)}
RAW_VOCAB = pa.array([code for c in CHANNELS for code, _ in RAW_CHANNELS[c]])
RAW_OFFSET = np.cumsum([0] + [len(RAW_CHANNELS[c]) for c in CHANNELS])[:-1]
RAW_CUM = [
    np.cumsum([w for _, w in RAW_CHANNELS[c]]) / sum(w for _, w in RAW_CHANNELS[c])
    for c in CHANNELS
]

CATEGORIES = (
    "pre_sales", "billing", "invoice_dispute", "contract", "renewal", "onboarding", "delivery",
    "product_defect", "how_to", "account_access", "cancellation", "other",
)
CAT = {c: i for i, c in enumerate(CATEGORIES)}
CATEGORY_TOUCHPOINT = {
    "pre_sales": "sales_inquiry", "contract": "contract_signing", "onboarding": "onboarding",
    "delivery": "delivery", "product_defect": "product_use", "how_to": "product_use",
    "account_access": "support", "other": "support", "billing": "billing",
    "invoice_dispute": "billing", "renewal": "renewal", "cancellation": "cancellation",
}
BILLING_CATS = np.array([CAT["billing"], CAT["invoice_dispute"]])
# background ticket mix: people who use the product vs people who pay
CAT_P_USER = (4, 6, 2, 2, 3, 7, 10, 17, 23, 12, 2, 12)
CAT_P_PAYER = (6, 18, 5, 8, 10, 6, 7, 9, 11, 8, 3, 9)
ROOT_CAUSES = {
    "pre_sales": (("pricing_unclear", 5), ("product_information", 5)),
    "billing": (("billing_system_error", 5), ("pricing_unclear", 3), ("payment_processing", 3),
                ("customer_error", 2)),
    "invoice_dispute": (("billing_system_error", 5), ("contract_terms", 3),
                        ("pricing_unclear", 2), ("duplicate_charge", 3)),
    "contract": (("contract_terms", 6), ("process_delay", 4)),
    "renewal": (("pricing_unclear", 4), ("contract_terms", 3), ("process_delay", 3)),
    "onboarding": (("documentation_gap", 4), ("process_delay", 4), ("product_defect", 2)),
    "delivery": (("logistics_partner", 6), ("process_delay", 3), ("stock_shortage", 2)),
    "product_defect": (("product_defect", 7), ("third_party", 2), ("configuration", 3)),
    "how_to": (("documentation_gap", 5), ("customer_error", 3), ("usability", 4)),
    "account_access": (("customer_error", 5), ("authentication_system", 4), ("usability", 2)),
    "cancellation": (("pricing_unclear", 3), ("product_defect", 2), ("competitor_offer", 3),
                     ("service_quality", 3)),
    "other": (("other", 6), ("customer_error", 3)),
}
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "solved", "closed")
EVENT_TYPES = ("public_reply", "internal_note", "status_change", "reopened", "solved")
AUTHOR_ROLES = ("agent", "customer", "system")
ORDER_TYPES = ("new", "renewal", "upgrade", "one_off")
FACTORS = ("product_service", "interaction", "brand")

# Surveys: id, name, kind, touchpoint, measures in question order.
TICKET_SURVEYS = (
    ("SRV-TKT-SALES", "After contact: sales inquiry", "sales_inquiry"),
    ("SRV-TKT-CONTRACT", "After contact: contract", "contract_signing"),
    ("SRV-TKT-ONBOARD", "After contact: onboarding", "onboarding"),
    ("SRV-TKT-DELIVERY", "After contact: delivery", "delivery"),
    ("SRV-TKT-PRODUCT", "After contact: product use", "product_use"),
    ("SRV-TKT-SUPPORT", "After contact: support", "support"),
    ("SRV-TKT-BILLING", "After contact: billing", "billing"),
    ("SRV-TKT-RENEWAL", "After contact: renewal", "renewal"),
    ("SRV-TKT-CANCEL", "After contact: cancellation", "cancellation"),
)
TP_TICKET_SURVEY = {tp: i for i, (_, _, tp) in enumerate(TICKET_SURVEYS)}
REL_QUESTIONS = (
    ("nps", None, "How likely are you to recommend us to a friend or colleague?"),
    ("importance", "product_service",
     "How important is the quality of our products and services to you?"),
    ("performance", "product_service",
     "How would you rate the quality of our products and services?"),
    ("importance", "interaction",
     "How important is it that our people are easy to reach and helpful?"),
    ("performance", "interaction",
     "How easy to reach and helpful have our people been?"),
    ("importance", "brand", "How important is it that you can trust the brand you buy from?"),
    ("performance", "brand", "How much do you trust our brand?"),
    ("comment", None, "What is the main reason for your score?"),
)
TICKET_QUESTIONS = (
    ("csat", None, "How satisfied are you with how we handled your request?"),
    ("ces", None, "How easy was it to get your request resolved?"),
    ("comment", None, "Anything we could have done better?"),
)
ORDER_QUESTIONS = (
    ("csat", None, "How satisfied are you with your {what}?"),
    ("comment", None, "Tell us more about your {what}."),
)
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "importance": (1, 5),
           "performance": (1, 5)}
OFF_SCALE = {"nps": (11, -1, 12), "csat": (0, 6, 9), "ces": (9, 0, 8),
              "importance": (6, 0), "performance": (0, 6)}

# Comments by valence; commas, quotes and accents exercise quoting and UTF-8.
COMMENTS = {
    "positive": (
        "Great service, thank you!", "Quick and friendly - solved on the first call.",
        "Muy buena atención, gracias.", "Très satisfait du suivi.",
        'The agent was "super" helpful.', "Easy to order, fast delivery.",
        "Everything worked as promised.", "Sehr guter Service!",
    ),
    "neutral": (
        "OK overall.", "Fine, but it took a while.", "Average experience, nothing special.",
        "Es correcto, sin más.", "Could be faster.", "No complaints, no praise.",
    ),
    "negative": (
        "Had to contact you three times, still not fixed.", "Demasiado tiempo de espera.",
        "Nobody answers, I'm considering leaving.", "Zu langsam, sehr enttäuscht.",
        "Support passed me from one person to the next.", "The product keeps failing.",
    ),
    "billing": (
        'Invoice was wrong again, the "credit note" never arrived.',
        "Charged twice, nobody answers.",
        "Billing is a mess: wrong amounts, late corrections.", "Factura incorrecta otra vez.",
        "Still waiting for the corrected invoice, third time asking.",
    ),
}
# fmt: on
