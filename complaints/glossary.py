"""The glossary of the help page (`/denuncias/ayuda/`): the legal terms the complaint form and its
classification use, from LAW.md (copied here: the product never reads the design documents).

Legal terms keep their Spanish names and definitions in every interface language, like the rule
engine's vocabulary (complaints.rules.codes), whose check boxes the help page lists as well, with
their Penal Code text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Term:
    term: str
    definition: str


GLOSSARY: tuple[Term, ...] = (
    Term(
        term="trata de personas",
        definition="Captar, transportar, trasladar, acoger, recibir o retener a otra persona, en el territorio "
        "de la República o para su salida o entrada del país, recurriendo a un medio (violencia, amenaza, "
        "engaño, abuso de una situación de vulnerabilidad, pagos…) con fines de explotación. Art. 153 del "
        "Código Penal (Ley 28950 y Ley 30251); art. 129-A desde la Ley 31146 (31/03/2021).",
    ),
    Term(
        term="conductas",
        definition="Lo que hace quien trata a la víctima: captación, transporte, traslado, acogida, recepción "
        "o retención. Sin ninguna conducta marcada los hechos no pueden calificarse como trata.",
    ),
    Term(
        term="medios",
        definition="Cómo se doblega la voluntad de la víctima: violencia, amenaza, otras formas de coacción, "
        "privación de libertad, fraude, engaño, abuso de poder, abuso de una situación de vulnerabilidad, "
        "concesión o recepción de pagos o beneficios. Para una víctima adulta la trata exige un medio; para "
        "una persona menor de edad no.",
    ),
    Term(
        term="fines de explotación",
        definition="Para qué se trata a la víctima: venta de niños, prostitución, esclavitud sexual u otras "
        "formas de explotación sexual, mendicidad, trabajos o servicios forzados, servidumbre, esclavitud, "
        "extracción o tráfico de órganos o tejidos. Las estadísticas los agrupan en seis categorías: "
        "explotación sexual, explotación laboral, venta de niños, mendicidad, tráfico de órganos y sin fin "
        "asignado.",
    ),
    Term(
        term="posible trata de personas, por verificar",
        definition="Hay conductas y un fin de explotación pero no consta ningún medio y no consta que la víctima "
        "sea menor de edad: la unidad especializada debe verificar el medio. Alerta de prioridad normal.",
    ),
    Term(
        term="menor de edad",
        definition="Víctima de menos de 18 años a la fecha de los hechos. Si la edad no se conoce, se indica "
        "si consta que es menor. Con una víctima menor de edad, las conductas con un fin de explotación son "
        "trata aunque no se haya empleado ningún medio (art. 153.3 / 129-A.3).",
    ),
    Term(
        term="consentimiento",
        definition="El consentimiento de una víctima adulta no tiene efecto cuando se empleó cualquier medio "
        "(art. 153.4 / 129-A.4; Protocolo de Palermo, art. 3 b); el de una persona menor de edad nunca lo tiene.",
    ),
    Term(
        term="agravantes",
        definition="Circunstancias que elevan la pena (art. 153-A / 129-B). Primer grado (12 a 20 años): abuso "
        "de la función pública, condición de promotor o integrante de una organización, pluralidad de "
        "víctimas, víctima de 14 a 17 años o incapaz, familiar o cuidador, dos o más autores, víctima gestante "
        "(desde 2021). Segundo grado (no menos de 25 años): muerte, lesión grave o peligro para la vida, "
        "víctima menor de 14 años o con discapacidad, organización criminal.",
    ),
    Term(
        term="delitos afines",
        definition="Delitos relacionados que no son trata: favorecimiento a la prostitución (art. 179), "
        "usuario-cliente (179-A), rufianismo (180), proxenetismo (181), turismo sexual infantil (181-A), "
        "tráfico ilícito de migrantes (303-A). Se alertan a la unidad especializada competente.",
    ),
    Term(
        term="perfil legal",
        definition="La ley aplicable según la fecha de los hechos: PE-2007 (Ley 28950, desde el 17/01/2007), "
        "PE-2014 (Ley 30251, desde el 22/10/2014), PE-2021 (Ley 31146, desde el 31/03/2021). Cada "
        "calificación guarda el perfil con que se hizo.",
    ),
    Term(
        term="alerta",
        definition="Aviso a las unidades que deben actuar: trata, prioridad alta a la unidad especializada de "
        "la dirección territorial competente por el lugar de los hechos y a la DIVINTRAP; posible trata, "
        "prioridad normal a las mismas; delito afín, prioridad normal a la unidad especializada competente.",
    ),
    Term(
        term="registro y congelamiento",
        definition="Al confirmar el registro, la denuncia se califica, recibe su número, se alerta a las "
        "unidades y queda congelada: desde entonces solo un administrador nacional puede enmendarla, con un "
        "motivo. Antes de confirmar, la revisión muestra todo lo que quedará registrado.",
    ),
    Term(
        term="borrador",
        definition="Denuncia guardada sin registrar: no se califica, no tiene número y solo la ve su unidad, "
        "que puede seguir editándola y registrarla después.",
    ),
    Term(
        term="presunto tratante",
        definition="La persona señalada como autora de los hechos. Se registra lo que se sepa (nombre, alias, "
        "edad aproximada, descripción); la investigación la identificará.",
    ),
)
