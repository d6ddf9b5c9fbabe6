"""The exports of a network for analysts' tools (issue 12, item 5): GraphML (yEd, Gephi, Cytoscape,
networkx), CSV of the nodes and of the links, and the i2 Analyst's Notebook CSV import layout (one
row per link: entity 1 type, identity and label, link type, entity 2 type, identity and label;
docs/i2-import.md is the import specification's mapping).

Pure functions over an `analysis.network.Network`: they write what the screen shows (the labels are
already masked by analysis.network), never anything more. The views audit and send them
(`reta.exports.csv_response` for the CSV: cells neutralised against formula injection).

May import: analysis.network, investigations.charts (the kinds' names).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from analysis.network import Network, link_rows, node_rows

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

NODE_HEADER = ["id", "kind", "kind_label", "label", "role", "depth"]
LINK_HEADER = ["source", "source_kind", "source_label", "label", "target", "target_kind", "target_label"]
# The i2 Analyst's Notebook import layout (docs/i2-import.md): one row per link.
I2_HEADER = [
    "Entity1 Type",
    "Entity1 Identity",
    "Entity1 Label",
    "Link Type",
    "Entity2 Type",
    "Entity2 Identity",
    "Entity2 Label",
]
# RETA's kinds as i2 entity types (the standard i2 semantic types an analyst maps them to).
I2_TYPES = {
    "person": "Person",
    "case_file": "Case",
    "complaint": "Report",
    "phone": "Telephone",
    "vehicle": "Vehicle",
    "account": "Email Address",
    "place": "Location",
    "operation": "Event",
}


def graphml(network: Network, *, scope: str = "") -> bytes:
    """The network as GraphML (UTF-8, with the XML declaration): node data kind, label, role,
    depth; edge data label. Undirected."""
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for key, owner, name in (
        ("kind", "node", "kind"),
        ("label", "node", "label"),
        ("role", "node", "role"),
        ("depth", "node", "depth"),
        ("link", "edge", "label"),
    ):
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": key, "for": owner, "attr.name": name, "attr.type": "int" if key == "depth" else "string"},
        )
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "reta", "edgedefault": "undirected"})
    if scope:
        ET.SubElement(graph, f"{{{GRAPHML_NS}}}desc").text = scope
    for row in node_rows(network):
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": row["id"]})
        for key in ("kind", "label", "role", "depth"):
            ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": key}).text = str(row[key])
    for index, row in enumerate(link_rows(network), start=1):
        edge = ET.SubElement(
            graph, f"{{{GRAPHML_NS}}}edge", {"id": f"e{index}", "source": row["source"], "target": row["target"]}
        )
        ET.SubElement(edge, f"{{{GRAPHML_NS}}}data", {"key": "link"}).text = row["label"]
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def node_csv_rows(network: Network) -> list[list[Any]]:
    return [[row[key] for key in NODE_HEADER] for row in node_rows(network)]


def link_csv_rows(network: Network) -> list[list[Any]]:
    return [[row[key] for key in LINK_HEADER] for row in link_rows(network)]


def i2_rows(network: Network) -> list[list[Any]]:
    """One row per link, in the i2 import layout; a node without links gets a row of its own (entity
    1 only, the other columns empty) so that it is imported too."""
    kinds = {node.id: node.kind for node in network.nodes}
    rows: list[list[Any]] = []
    linked: set[str] = set()
    for row in link_rows(network):
        linked |= {row["source"], row["target"]}
        rows.append(
            [
                I2_TYPES.get(kinds[row["source"]], "Entity"),
                row["source"],
                row["source_label"],
                row["label"],
                I2_TYPES.get(kinds[row["target"]], "Entity"),
                row["target"],
                row["target_label"],
            ]
        )
    for node in network.nodes:
        if node.id not in linked:
            rows.append([I2_TYPES.get(node.kind, "Entity"), node.id, node.label, "", "", "", ""])
    return rows


__all__ = [
    "I2_HEADER",
    "I2_TYPES",
    "LINK_HEADER",
    "NODE_HEADER",
    "graphml",
    "i2_rows",
    "link_csv_rows",
    "node_csv_rows",
]
