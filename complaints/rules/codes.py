"""The vocabulary of the rule engine: element codes, Spanish labels and Penal Code hints.

Codes are stable: they are used in JSON, CSV, imports and exports (LAW.md, "Element codes").
The interface shows the Spanish ``label``; hovering a check box shows the ``hint``, a short
paraphrase of the Penal Code text that defines the element, and ``article`` says where it is.
Legal terms keep their Spanish names in every interface language, so the labels of the elements,
categories, circumstances and related crimes are not translated. Outcomes, alerts, warnings and
degrees are: each has an English source string (``msgid``, marked ``N_``) whose Spanish translation
in the catalogue (locale/es) is the Spanish text kept here for the pure-Python readers
(complaints.rules.i18n; tests/complaints/rules check that the two agree).

Articles are written "153 / 129-A": art. 153 under Laws 28950 and 30251, art. 129-A since
Law 31146 (31 March 2021).
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_


@dataclass(frozen=True, kw_only=True)
class Term:
    """A code and its Spanish label (categories, outcomes, alerts); outcomes and alerts also have
    an English source string (``msgid``) whose Spanish translation in the catalogue is ``label``."""

    code: str
    label: str
    msgid: str = ""


@dataclass(frozen=True, kw_only=True)
class Element:
    """One check box of the complaint form: a conduct, means, purpose, case fact or related fact."""

    code: str
    label: str
    article: str
    hint: str


@dataclass(frozen=True, kw_only=True)
class Purpose(Element):
    """A purpose of exploitation and the statistics category it counts under."""

    category: str


@dataclass(frozen=True, kw_only=True)
class Circumstance:
    """An aggravating circumstance of art. 153-A / 129-B, with its degree (1 or 2)."""

    code: str
    label: str
    degree: int


@dataclass(frozen=True, kw_only=True)
class Crime:
    """A related crime (*delito afín*), the related fact that points to it and its article."""

    code: str
    label: str
    fact: str
    article: str


@dataclass(frozen=True, kw_only=True)
class WarningMessage:
    """A warning code and the Spanish sentence that explains it (``message``), the translation of
    the English source string ``msgid`` in the catalogue."""

    code: str
    message: str
    msgid: str


# --- Conducts (conductas): art. 153 (Law 28950, Law 30251), art. 129-A.1 (Law 31146) -------------

_CONDUCT_TEXT = (
    " Art. 153 del Código Penal (art. 129-A desde la Ley 31146): comete trata quien capta, transporta, "
    "traslada, acoge, recibe o retiene a otra persona, en el territorio de la República o para su salida "
    "o entrada del país, con fines de explotación."
)

CONDUCTS: tuple[Element, ...] = (
    Element(
        code="recruitment",
        label="captación",
        article="153 / 129-A",
        hint="Captación: atraer o reclutar a la víctima (p. ej., con ofertas de empleo, estudio o viaje) "
        "para explotarla." + _CONDUCT_TEXT,
    ),
    Element(
        code="transport",
        label="transporte",
        article="153 / 129-A",
        hint="Transporte: llevar a la víctima de un lugar a otro, por cualquier medio, dentro del país o "
        "a través de la frontera." + _CONDUCT_TEXT,
    ),
    Element(
        code="transfer",
        label="traslado",
        article="153 / 129-A",
        hint="Traslado: cambiar a la víctima de lugar o entregarla de una persona a otra, transfiriendo "
        "el control sobre ella." + _CONDUCT_TEXT,
    ),
    Element(
        code="harbouring",
        label="acogida",
        article="153 / 129-A",
        hint="Acogida: alojar u ocultar a la víctima, en tránsito o en el lugar de explotación." + _CONDUCT_TEXT,
    ),
    Element(
        code="receipt",
        label="recepción",
        article="153 / 129-A",
        hint="Recepción: recibir a la víctima a su llegada al lugar de tránsito o de destino." + _CONDUCT_TEXT,
    ),
    Element(
        code="retention",
        label="retención",
        article="153 / 129-A",
        hint="Retención: mantener a la víctima en un lugar o en la situación de explotación, impidiéndole "
        "salir de ella." + _CONDUCT_TEXT,
    ),
)

# --- Means (medios): art. 153 (153.1 since Law 30251), art. 129-A.1 ----------------------------

_MEANS_TEXT = (
    " Medio previsto en el art. 153 del Código Penal (art. 129-A desde la Ley 31146): para una víctima "
    "mayor de edad la trata exige al menos un medio; para un niño, niña o adolescente no se requiere."
)

MEANS: tuple[Element, ...] = (
    Element(
        code="violence",
        label="violencia",
        article="153 / 129-A",
        hint="Violencia: uso de fuerza física sobre la víctima para doblegar su voluntad." + _MEANS_TEXT,
    ),
    Element(
        code="threat",
        label="amenaza",
        article="153 / 129-A",
        hint="Amenaza: anuncio de un mal grave contra la víctima o sus allegados para someterla." + _MEANS_TEXT,
    ),
    Element(
        code="coercion",
        label="otras formas de coacción",
        article="153 / 129-A",
        hint="Otras formas de coacción: presión que obliga a la víctima a hacer lo que no quiere (p. ej., "
        "retención de documentos o deudas impuestas)." + _MEANS_TEXT,
    ),
    Element(
        code="deprivation_of_liberty",
        label="privación de libertad",
        article="153 / 129-A",
        hint="Privación de libertad: encierro de la víctima o impedimento de desplazarse libremente." + _MEANS_TEXT,
    ),
    Element(
        code="fraud",
        label="fraude",
        article="153 / 129-A",
        hint="Fraude: artificio o ardid para obtener la voluntad de la víctima (p. ej., contratos o "
        "documentos falsos)." + _MEANS_TEXT,
    ),
    Element(
        code="deception",
        label="engaño",
        article="153 / 129-A",
        hint="Engaño: inducir a error a la víctima sobre el trabajo, sus condiciones o el destino (p. ej., "
        "falsas ofertas de empleo)." + _MEANS_TEXT,
    ),
    Element(
        code="abuse_of_power",
        label="abuso de poder",
        article="153 / 129-A",
        hint="Abuso de poder: aprovechamiento de una posición de autoridad o superioridad sobre la víctima."
        + _MEANS_TEXT,
    ),
    Element(
        code="abuse_of_vulnerability",
        label="abuso de una situación de vulnerabilidad",
        article="153 / 129-A",
        hint="Abuso de una situación de vulnerabilidad: aprovechamiento de la pobreza, la necesidad, la "
        "condición migratoria u otra situación en la que la víctima no tiene otra alternativa real que "
        "someterse." + _MEANS_TEXT,
    ),
    Element(
        code="payment_or_benefit",
        label="concesión o recepción de pagos o beneficios",
        article="153 / 129-A",
        hint="Concesión o recepción de pagos o beneficios para obtener el consentimiento de quien tiene "
        "autoridad sobre la víctima (la Ley 30251 añade «o de cualquier beneficio»)." + _MEANS_TEXT,
    ),
)

# --- Purposes (fines) and statistics categories: art. 153 (153.2 since Law 30251), art. 129-A.2 --

SEXUAL_EXPLOITATION = "sexual_exploitation"
LABOUR_EXPLOITATION = "labour_exploitation"
SALE_OF_CHILDREN = "sale_of_children"
BEGGING = "begging"
ORGAN_TRAFFICKING = "organ_trafficking"
UNASSIGNED = "unassigned"

CATEGORIES: tuple[Term, ...] = (
    Term(code=SEXUAL_EXPLOITATION, label="explotación sexual"),
    Term(code=LABOUR_EXPLOITATION, label="explotación laboral"),
    Term(code=SALE_OF_CHILDREN, label="venta de niños"),
    Term(code=BEGGING, label="mendicidad"),
    Term(code=ORGAN_TRAFFICKING, label="tráfico de órganos"),
    Term(code=UNASSIGNED, label="trata sin fin asignado"),
)

OTHER_ANALOGOUS_EXPLOITATION = "other_analogous_exploitation"

PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        code="sale_of_children",
        label="venta de niños",
        article="153 / 129-A",
        category=SALE_OF_CHILDREN,
        hint="Venta de niños: entregar a un niño, niña o adolescente a cambio de dinero u otra ventaja "
        "(desde la Ley 30251: «venta de niños, niñas o adolescentes»).",
    ),
    Purpose(
        code="prostitution",
        label="para que ejerza la prostitución",
        article="153 / 129-A",
        category=SEXUAL_EXPLOITATION,
        hint="Para que ejerza la prostitución: que la víctima preste servicios sexuales a terceros en "
        "provecho ajeno (desde la Ley 30251: «la prostitución y cualquier forma de explotación sexual»).",
    ),
    Purpose(
        code="sexual_slavery",
        label="esclavitud sexual",
        article="153 / 129-A",
        category=SEXUAL_EXPLOITATION,
        hint="Someterlo a esclavitud sexual: ejercer sobre la víctima atributos de propiedad para "
        "obligarla a realizar actos de naturaleza sexual.",
    ),
    Purpose(
        code="other_sexual_exploitation",
        label="otras formas de explotación sexual",
        article="153 / 129-A",
        category=SEXUAL_EXPLOITATION,
        hint="Otras formas de explotación sexual: p. ej., utilizar a la víctima en pornografía o en "
        "espectáculos o actos sexuales en provecho ajeno.",
    ),
    Purpose(
        code="begging",
        label="obligarlo a mendigar",
        article="153 / 129-A",
        category=BEGGING,
        hint="Obligarlo a mendigar: forzar a la víctima a pedir limosna en provecho ajeno (desde la "
        "Ley 30251: «la mendicidad»).",
    ),
    Purpose(
        code="forced_labour",
        label="trabajos o servicios forzados",
        article="153 / 129-A",
        category=LABOUR_EXPLOITATION,
        hint="Trabajos o servicios forzados: todo trabajo o servicio exigido a la víctima bajo amenaza "
        "de un castigo y que no ofrece voluntariamente.",
    ),
    Purpose(
        code="servitude",
        label="servidumbre",
        article="153 / 129-A",
        category=LABOUR_EXPLOITATION,
        hint="Servidumbre: obligación de vivir o trabajar para otro sin poder cambiar esa condición "
        "(p. ej., servidumbre por deudas o doméstica).",
    ),
    Purpose(
        code="slavery",
        label="esclavitud o prácticas análogas a la esclavitud",
        article="153 / 129-A",
        category=LABOUR_EXPLOITATION,
        hint="La esclavitud o prácticas análogas a la esclavitud: ejercer sobre la víctima los atributos "
        "del derecho de propiedad, o someterla a prácticas semejantes.",
    ),
    Purpose(
        code="other_labour_exploitation",
        label="otras formas de explotación laboral",
        article="153 / 129-A",
        category=LABOUR_EXPLOITATION,
        hint="Otras formas de explotación laboral: imponer a la víctima condiciones de trabajo abusivas "
        "en provecho ajeno (desde la Ley 30251: «cualquier forma de explotación laboral»).",
    ),
    Purpose(
        code="organ_removal",
        label="extracción o tráfico de órganos o tejidos humanos",
        article="153 / 129-A",
        category=ORGAN_TRAFFICKING,
        hint="Extracción o tráfico de órganos o tejidos humanos (desde la Ley 30251: «órganos o tejidos "
        "somáticos o sus componentes humanos»).",
    ),
    Purpose(
        code=OTHER_ANALOGOUS_EXPLOITATION,
        label="cualquier otra forma análoga de explotación",
        article="153.2 / 129-A.2",
        category=UNASSIGNED,
        hint="Cualquier otra forma análoga de explotación: cláusula abierta incorporada por la Ley 30251 "
        "(los fines comprenden, «entre otros», los enumerados). No existe en el texto de la Ley 28950: "
        "no vale para hechos anteriores al 22/10/2014.",
    ),
)

# --- Case facts for aggravation: art. 153-A (Law 28950), art. 129-B (Law 31146) ------------------

_FIRST_DEGREE_TEXT = " Agravante de primer grado: pena no menor de doce ni mayor de veinte años (art. 153-A / 129-B)."
_SECOND_DEGREE_TEXT = " Agravante de segundo grado: pena no menor de veinticinco años (art. 153-A / 129-B)."

CASE_FACTS: tuple[Element, ...] = (
    Element(
        code="public_office_abuse",
        label="abuso del ejercicio de la función pública",
        article="153-A / 129-B",
        hint="El agente comete el hecho abusando del ejercicio de la función pública." + _FIRST_DEGREE_TEXT,
    ),
    Element(
        code="organisation_position",
        label="aprovecha su posición en una organización social, tutelar o empresarial",
        article="153-A / 129-B",
        hint="El agente es promotor, integrante o representante de una organización social, tutelar o "
        "empresarial, y aprovecha esa condición y sus actividades para cometer el delito." + _FIRST_DEGREE_TEXT,
    ),
    Element(
        code="relative_or_carer",
        label="familiar, cuidador o conviviente de la víctima",
        article="153-A / 129-B",
        hint="El agente es cónyuge, conviviente, adoptante, tutor, curador, pariente hasta el cuarto grado "
        "de consanguinidad o segundo de afinidad, tiene a la víctima a su cuidado por cualquier motivo o "
        "habita en el mismo hogar." + _FIRST_DEGREE_TEXT,
    ),
    Element(
        code="criminal_organisation",
        label="el agente es parte de una organización criminal",
        article="153-A / 129-B",
        hint="El agente es parte de una organización criminal." + _SECOND_DEGREE_TEXT,
    ),
    Element(
        code="victim_died",
        label="muerte de la víctima",
        article="153-A / 129-B",
        hint="Se produce la muerte de la víctima." + _SECOND_DEGREE_TEXT,
    ),
    Element(
        code="serious_injury",
        label="lesión grave de la víctima",
        article="153-A / 129-B",
        hint="Se produce lesión grave a la víctima." + _SECOND_DEGREE_TEXT,
    ),
    Element(
        code="life_in_danger",
        label="peligro inminente para la vida de la víctima",
        article="153-A / 129-B",
        hint="Se pone en inminente peligro la vida y la seguridad de la víctima." + _SECOND_DEGREE_TEXT,
    ),
    Element(
        code="multiple_victims",
        label="pluralidad de víctimas",
        article="153-A / 129-B",
        hint="Existe pluralidad de víctimas (también se deduce de dos o más víctimas registradas)."
        + _FIRST_DEGREE_TEXT,
    ),
    Element(
        code="two_or_more_perpetrators",
        label="cometido por dos o más personas",
        article="153-A / 129-B",
        hint="El hecho es cometido por dos o más personas (también se deduce de dos o más presuntos "
        "tratantes registrados)." + _FIRST_DEGREE_TEXT,
    ),
)

# --- Related facts (hechos de delitos afines): Penal Code as in force with Law 28950 -------------

RELATED_FACTS: tuple[Element, ...] = (
    Element(
        code="promotes_prostitution",
        label="promueve o favorece la prostitución de otra persona",
        article="179",
        hint="Favorecimiento a la prostitución (art. 179): el que promueve o favorece la prostitución de otra persona.",
    ),
    Element(
        code="pays_sex_with_minor",
        label="paga por acceso carnal con una persona de 14 a 17 años",
        article="179-A",
        hint="Usuario-cliente (art. 179-A): el que, mediante una prestación económica o ventaja de "
        "cualquier naturaleza, tiene acceso carnal o realiza actos análogos con una persona de catorce y "
        "menos de dieciocho años de edad.",
    ),
    Element(
        code="lives_off_prostitution_earnings",
        label="explota la ganancia de quien ejerce la prostitución",
        article="180",
        hint="Rufianismo (art. 180): el que explota la ganancia obtenida por una persona que ejerce la prostitución.",
    ),
    Element(
        code="hands_over_for_sex",
        label="compromete, seduce o sustrae a una persona para entregarla a otro con fines sexuales",
        article="181",
        hint="Proxenetismo (art. 181): el que compromete, seduce o sustrae a una persona para entregarla "
        "a otro con el objeto de tener acceso carnal.",
    ),
    Element(
        code="child_sex_tourism",
        label="promueve o facilita el turismo sexual con adolescentes",
        article="181-A",
        hint="Turismo sexual infantil (art. 181-A): el que promueve, publicita, favorece o facilita, por "
        "cualquier medio, el turismo sexual con el objeto de ofrecer relaciones sexuales de carácter "
        "comercial con personas de catorce y menos de dieciocho años de edad.",
    ),
    Element(
        code="illegal_border_crossing_for_profit",
        label="facilita la entrada o salida ilegal del país con fin de lucro",
        article="303-A",
        hint="Tráfico ilícito de migrantes (art. 303-A): el que promueve, favorece, financia o facilita la "
        "entrada o salida ilegal del país de otra persona, con el fin de obtener directa o indirectamente "
        "lucro o cualquier otro beneficio.",
    ),
)

# The check-box groups of the complaint form, keyed by the field name of the facts JSON.
GROUPS: dict[str, tuple[Element, ...]] = {
    "conducts": CONDUCTS,
    "means": MEANS,
    "purposes": PURPOSES,
    "case_facts": CASE_FACTS,
    "related_facts": RELATED_FACTS,
}

# Spanish name of each group, for headings and error messages.
GROUP_LABELS: dict[str, str] = {
    "conducts": "conductas",
    "means": "medios",
    "purposes": "fines",
    "case_facts": "circunstancias agravantes",
    "related_facts": "hechos de delitos afines",
}

# --- Aggravating circumstances (art. 153-A; art. 129-B since Law 31146) -------------------------

AGGRAVATIONS: tuple[Circumstance, ...] = (
    # First degree: no less than 12 nor more than 20 years.
    Circumstance(code="public_office_abuse", degree=1, label="abuso del ejercicio de la función pública"),
    Circumstance(
        code="organisation_position",
        degree=1,
        label="el agente aprovecha su condición de promotor, integrante o representante de una "
        "organización social, tutelar o empresarial",
    ),
    Circumstance(code="multiple_victims", degree=1, label="pluralidad de víctimas"),
    Circumstance(
        code="victim_14_to_17_or_incapable",
        degree=1,
        label="la víctima tiene entre catorce y diecisiete años o es incapaz",
    ),
    Circumstance(
        code="relative_or_carer",
        degree=1,
        label="el agente es familiar o cuidador de la víctima, o habita en su mismo hogar",
    ),
    Circumstance(code="two_or_more_perpetrators", degree=1, label="el hecho es cometido por dos o más personas"),
    Circumstance(code="pregnant_victim", degree=1, label="la víctima se encuentra en estado de gestación"),
    # Second degree: no less than 25 years.
    Circumstance(
        code="death_injury_or_danger",
        degree=2,
        label="muerte, lesión grave o inminente peligro para la vida y la seguridad de la víctima",
    ),
    Circumstance(
        code="victim_under_14_or_disabled",
        degree=2,
        label="la víctima es menor de catorce años o tiene una discapacidad física o mental",
    ),
    Circumstance(code="criminal_organisation", degree=2, label="el agente es parte de una organización criminal"),
)

DEGREE_PENALTIES: dict[int, str] = {
    1: "pena no menor de doce ni mayor de veinte años",
    2: "pena no menor de veinticinco años",
}
DEGREE_PENALTY_MSGIDS: dict[int, str] = {
    1: N_("a penalty of no less than twelve nor more than twenty years"),
    2: N_("a penalty of no less than twenty-five years"),
}

DEGREE_LABELS: dict[int, str] = {1: "primer grado", 2: "segundo grado"}
DEGREE_LABEL_MSGIDS: dict[int, str] = {1: N_("first degree"), 2: N_("second degree")}

# --- Related crimes (delitos afines): the same articles under every profile (LAW.md) -------------

RELATED_CRIMES: tuple[Crime, ...] = (
    Crime(
        code="favorecimiento_prostitucion",
        label="favorecimiento a la prostitución",
        fact="promotes_prostitution",
        article="179",
    ),
    Crime(code="usuario_cliente", label="usuario-cliente", fact="pays_sex_with_minor", article="179-A"),
    Crime(code="rufianismo", label="rufianismo", fact="lives_off_prostitution_earnings", article="180"),
    Crime(code="proxenetismo", label="proxenetismo", fact="hands_over_for_sex", article="181"),
    Crime(code="turismo_sexual_infantil", label="turismo sexual infantil", fact="child_sex_tourism", article="181-A"),
    Crime(
        code="trafico_ilicito_migrantes",
        label="tráfico ilícito de migrantes",
        fact="illegal_border_crossing_for_profit",
        article="303-A",
    ),
)

# --- Outcomes, alerts, warnings -----------------------------------------------------------------

TRAFFICKING = "trafficking"
TRAFFICKING_INCOMPLETE = "trafficking_incomplete"
RELATED_CRIME = "related_crime"
NOT_CONSISTENT = "not_consistent"

OUTCOMES: tuple[Term, ...] = (
    Term(
        code=TRAFFICKING,
        label="consistente con trata de personas",
        msgid=N_("consistent with trafficking in persons"),
    ),
    Term(
        code=TRAFFICKING_INCOMPLETE,
        label="posible trata de personas, por verificar",
        msgid=N_("possible trafficking in persons, to be verified"),
    ),
    Term(code=RELATED_CRIME, label="delito afín", msgid=N_("related crime")),
    Term(
        code=NOT_CONSISTENT,
        label="no consistente con trata de personas ni con delitos afines",
        msgid=N_("not consistent with trafficking in persons nor with related crimes"),
    ),
)

HIGH = "high"
NORMAL = "normal"

ALERTS: tuple[Term, ...] = (
    Term(code=HIGH, label="prioridad alta", msgid=N_("high priority")),
    Term(code=NORMAL, label="prioridad normal", msgid=N_("normal priority")),
)

FACTS_BEFORE_LAW_28950 = "facts_before_law_28950"
PURPOSE_TO_DETERMINE = "purpose_to_determine"
MEANS_MISSING_FOR_ADULT = "means_missing_for_adult"
PURPOSE_NOT_IN_LAW = "purpose_not_in_law"
AGE_TO_VERIFY = "age_to_verify"

WARNINGS: tuple[WarningMessage, ...] = (
    WarningMessage(
        code=AGE_TO_VERIFY,
        message="La edad de al menos una víctima no consta y debe verificarse: de ella dependen la exigencia "
        "de un medio y las agravantes por edad.",
        msgid=N_(
            "The age of at least one victim is not recorded and must be verified: whether a means is required "
            "and the aggravations by age depend on it."
        ),
    ),
    WarningMessage(
        code=FACTS_BEFORE_LAW_28950,
        message="Los hechos son anteriores a la vigencia de la Ley 28950 (17/01/2007): se clasifican con el "
        "perfil PE-2007, pero la ley penal aplicable en su fecha debe verificarse.",
        msgid=N_(
            "The facts predate Law 28950 (in force since 17/01/2007): they are classified with the PE-2007 "
            "profile, but the criminal law applicable on their date must be verified."
        ),
    ),
    WarningMessage(
        code=MEANS_MISSING_FOR_ADULT,
        message="No se registra ningún medio y no consta que la víctima sea menor de edad: para una persona "
        "adulta la trata exige un medio, que debe verificarse.",
        msgid=N_(
            "No means is recorded and the victim is not recorded as a minor: for an adult, trafficking requires "
            "a means, which must be verified."
        ),
    ),
    WarningMessage(
        code=PURPOSE_NOT_IN_LAW,
        message="El fin «cualquier otra forma análoga de explotación» no figura en el art. 153 según la "
        "Ley 28950 (lo incorporó la Ley 30251, vigente desde el 22/10/2014): no se toma en cuenta.",
        msgid=N_(
            "The purpose «cualquier otra forma análoga de explotación» is not in art. 153 as worded by Law 28950 "
            "(Law 30251 added it, in force since 22/10/2014): it is not taken into account."
        ),
    ),
    WarningMessage(
        code=PURPOSE_TO_DETERMINE,
        message="No se registra un fin de explotación: el caso se cuenta como trata sin fin asignado y el fin "
        "debe determinarse en la investigación.",
        msgid=N_(
            "No purpose of exploitation is recorded: the case counts as trafficking with no assigned purpose and "
            "the purpose must be determined by the investigation."
        ),
    ),
)


# --- Look-ups by code ---------------------------------------------------------------------------

# Every form element by code (codes are unique across the five groups).
ELEMENTS: dict[str, Element] = {element.code: element for group in GROUPS.values() for element in group}
GROUP_CODES: dict[str, frozenset[str]] = {name: frozenset(e.code for e in group) for name, group in GROUPS.items()}
PURPOSE_CATEGORY: dict[str, str] = {purpose.code: purpose.category for purpose in PURPOSES}
CATEGORY_LABELS: dict[str, str] = {term.code: term.label for term in CATEGORIES}
AGGRAVATIONS_BY_CODE: dict[str, Circumstance] = {item.code: item for item in AGGRAVATIONS}
RELATED_CRIMES_BY_CODE: dict[str, Crime] = {crime.code: crime for crime in RELATED_CRIMES}
OUTCOME_LABELS: dict[str, str] = {term.code: term.label for term in OUTCOMES}
ALERT_LABELS: dict[str, str] = {term.code: term.label for term in ALERTS}
WARNING_MESSAGES: dict[str, str] = {warning.code: warning.message for warning in WARNINGS}
# The English source strings, for gettext (outcomes, alerts, warnings).
OUTCOME_MSGIDS: dict[str, str] = {term.code: term.msgid for term in OUTCOMES}
ALERT_MSGIDS: dict[str, str] = {term.code: term.msgid for term in ALERTS}
WARNING_MSGIDS: dict[str, str] = {warning.code: warning.msgid for warning in WARNINGS}
