"""Words and weights of the generated cases and counterparts, and the governments the profile skew names."""

from __future__ import annotations

KIND_WEIGHTS = {
    "twinning": 22,
    "technical_cooperation": 25,
    "university_cooperation_framework": 10,
    "university_cooperation_specific": 8,
    "memorandum_of_understanding": 20,
    "letter_of_intent": 10,
    "other": 5,
}
KIND_TITLES = {
    "twinning": "Acuerdo de hermanamiento",
    "technical_cooperation": "Acuerdo de cooperación técnica",
    "university_cooperation_framework": "Convenio marco de cooperación universitaria",
    "university_cooperation_specific": "Convenio específico de cooperación académica",
    "memorandum_of_understanding": "Memorándum de entendimiento",
    "letter_of_intent": "Carta de intención",
    "other": "Acuerdo de colaboración",
}
THEME_LABELS = {
    "education": "educación",
    "culture": "cultura",
    "science_technology": "ciencia y tecnología",
    "training": "formación de recursos humanos",
    "trade": "comercio",
    "investment": "inversión",
    "tourism": "turismo",
    "environment": "medio ambiente",
    "urban_development": "desarrollo urbano",
    "security": "seguridad",
    "health": "salud",
    "migration": "migración",
    "other": "cooperación",
}
COUNTRIES = {
    "US": ["San Antonio", "Los Ángeles", "Chicago", "Houston", "Phoenix", "San Diego", "El Paso", "Tucson", "Dallas"],
    "CA": ["Montreal", "Toronto", "Vancouver", "Quebec", "Calgary"],
    "ES": ["Madrid", "Barcelona", "Sevilla", "Valencia", "Salamanca", "Bilbao"],
    "FR": ["París", "Lyon", "Marsella", "Toulouse", "Burdeos"],
    "DE": ["Berlín", "Múnich", "Hamburgo", "Colonia", "Fráncfort"],
    "IT": ["Roma", "Milán", "Florencia", "Nápoles", "Turín"],
    "PT": ["Lisboa", "Oporto", "Coímbra"],
    "GB": ["Londres", "Mánchester", "Edimburgo"],
    "NL": ["Ámsterdam", "Róterdam", "La Haya"],
    "BE": ["Bruselas", "Amberes", "Gante"],
    "CH": ["Ginebra", "Zúrich", "Berna"],
    "AT": ["Viena", "Salzburgo"],
    "SE": ["Estocolmo", "Gotemburgo"],
    "PL": ["Varsovia", "Cracovia"],
    "CZ": ["Praga", "Brno"],
    "HU": ["Budapest"],
    "GR": ["Atenas", "Tesalónica"],
    "CN": ["Pekín", "Shanghái", "Cantón", "Shenzhen", "Chengdú"],
    "JP": ["Tokio", "Osaka", "Kioto", "Nagoya"],
    "KR": ["Seúl", "Busan", "Incheon"],
    "IN": ["Nueva Delhi", "Bombay", "Bangalore"],
    "ID": ["Yakarta", "Bandung"],
    "VN": ["Hanói", "Ciudad Ho Chi Minh"],
    "IL": ["Jerusalén", "Tel Aviv"],
    "TR": ["Estambul", "Ankara"],
    "AE": ["Dubái", "Abu Dabi"],
    "CO": ["Bogotá", "Medellín", "Cali", "Cartagena"],
    "AR": ["Buenos Aires", "Córdoba", "Rosario", "Mendoza"],
    "CL": ["Santiago", "Valparaíso", "Concepción"],
    "PE": ["Lima", "Cusco", "Arequipa"],
    "BR": ["São Paulo", "Río de Janeiro", "Curitiba", "Salvador"],
    "GT": ["Ciudad de Guatemala", "Quetzaltenango", "Antigua Guatemala"],
    "HN": ["Tegucigalpa", "San Pedro Sula"],
    "SV": ["San Salvador", "Santa Ana"],
    "CR": ["San José", "Heredia"],
    "PA": ["Ciudad de Panamá", "Colón"],
    "CU": ["La Habana", "Santiago de Cuba"],
    "DO": ["Santo Domingo", "Santiago de los Caballeros"],
    "EC": ["Quito", "Guayaquil", "Cuenca"],
    "UY": ["Montevideo"],
    "BO": ["La Paz", "Santa Cruz de la Sierra"],
    "MA": ["Rabat", "Casablanca"],
    "ZA": ["Ciudad del Cabo", "Johannesburgo"],
    "KE": ["Nairobi"],
    "AU": ["Sídney", "Melbourne"],
    "NZ": ["Auckland", "Wellington"],
}
SUBDIVISIONS = {
    "San Antonio": "US-TX",
    "Houston": "US-TX",
    "Dallas": "US-TX",
    "El Paso": "US-TX",
    "Los Ángeles": "US-CA",
    "San Diego": "US-CA",
    "Chicago": "US-IL",
    "Phoenix": "US-AZ",
    "Tucson": "US-AZ",
    "Montreal": "CA-QC",
    "Quebec": "CA-QC",
    "Toronto": "CA-ON",
    "Vancouver": "CA-BC",
    "Calgary": "CA-AB",
    "Madrid": "ES-MD",
    "Barcelona": "ES-CT",
    "Sevilla": "ES-AN",
    "Valencia": "ES-VC",
    "Bilbao": "ES-PV",
}
INTERNATIONAL_ORGANIZATIONS = [
    "Organización Internacional para las Migraciones",
    "Alto Comisionado de las Naciones Unidas para los Refugiados",
    "Programa de las Naciones Unidas para el Desarrollo",
    "Organización de las Naciones Unidas para la Educación, la Ciencia y la Cultura",
    "Organización Panamericana de la Salud",
    "Banco Interamericano de Desarrollo",
    "Programa de las Naciones Unidas para los Asentamientos Humanos",
    "Fondo de las Naciones Unidas para la Infancia",
    "Ciudades y Gobiernos Locales Unidos",
    "Organización de los Estados Americanos",
]
GOVERNMENT_PREFIXES = ["Ciudad de", "Municipalidad de", "Gobierno de la Ciudad de", "Ayuntamiento de", "Provincia de"]
NGO_WORDS = ["Esperanza", "Futuro", "Horizonte", "Puentes", "Raíces", "Alianza", "Encuentro", "Vida", "Tierra"]
PRIVATE_WORDS = ["Tecnologías", "Servicios", "Desarrollos", "Soluciones", "Energía", "Logística", "Consultores"]
FIRST_NAMES = ["María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Carlos", "Elena", "Miguel", "Sofía"]
LAST_NAMES = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez"]
ANNEX_TYPES = ["legal_authorization", "budget_viability", "background", "other"]
BENCH_EMAIL = "enlace@bench.example"  # marks the generated institutions
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- profile skew: a couple of governments with many linked rows, one with none ------------------

PROFILE_RICH = {"state": "14", "municipality": "14039"}  # Jalisco, Guadalajara
PROFILE_MEDIUM = {"state": "07", "municipality": "07089"}  # Chiapas, Tapachula
PROFILE_POOR = {"state": "04", "municipality": "04001"}  # Campeche, Calkiní: no office, partnership or focal point
PROFILE_EMAIL = "perfil@bench.example"
