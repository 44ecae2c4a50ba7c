"""Readable names, in Chinese and English, for the common terms of the reused W3C and schema.org vocabularies.

A page shows a property by its label from the data's own ontology; the reused vocabularies' terms have no
label there (declaring them again would redefine other people's terms), so without this table a page would
read ``prov:wasAttributedTo``. These are names for display only; the RDF keeps the terms as they are.
"""

from __future__ import annotations

_DC = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_SCHEMA = "http://schema.org/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_TIME = "http://www.w3.org/2006/time#"
_OA = "http://www.w3.org/ns/oa#"
_ORG = "http://www.w3.org/ns/org#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OWL = "http://www.w3.org/2002/07/owl#"

TERM_LABELS: dict[str, dict[str, str]] = {
    _RDF + "type": {"zh": "类型", "en": "type"},
    _RDFS + "label": {"zh": "名称", "en": "label"},
    _RDFS + "comment": {"zh": "说明", "en": "comment"},
    _RDFS + "seeAlso": {"zh": "另见", "en": "see also"},
    _OWL + "sameAs": {"zh": "等同于", "en": "same as"},
    _DC + "spatial": {"zh": "地点", "en": "place"},
    _DC + "isPartOf": {"zh": "隶属于", "en": "part of"},
    _DC + "hasPart": {"zh": "包括", "en": "has part"},
    _DC + "creator": {"zh": "发布者", "en": "issued by"},
    _DC + "title": {"zh": "标题", "en": "title"},
    _DC + "source": {"zh": "来源", "en": "source"},
    _DC + "license": {"zh": "许可", "en": "licence"},
    _PROV + "wasDerivedFrom": {"zh": "出处", "en": "stated in"},
    _PROV + "wasAttributedTo": {"zh": "归属于", "en": "attributed to"},
    _PROV + "wasRevisionOf": {"zh": "由…升级而来", "en": "revision of"},
    _SCHEMA + "value": {"zh": "数值", "en": "value"},
    _SCHEMA + "organizer": {"zh": "主办方", "en": "organiser"},
    _SCHEMA + "audience": {"zh": "服务对象", "en": "audience"},
    _SCHEMA + "areaServed": {"zh": "服务地区", "en": "area served"},
    _SCHEMA + "containedInPlace": {"zh": "所属地区", "en": "lies in"},
    _SCHEMA + "jobTitle": {"zh": "职务", "en": "role"},
    _SCHEMA + "genre": {"zh": "类别", "en": "genre"},
    _SCHEMA + "headline": {"zh": "标题", "en": "headline"},
    _SCHEMA + "datePublished": {"zh": "发布日期", "en": "date published"},
    _SCHEMA + "publisher": {"zh": "发布媒体", "en": "publisher"},
    _SCHEMA + "author": {"zh": "作者", "en": "author"},
    _SCHEMA + "editor": {"zh": "编辑", "en": "editor"},
    _SCHEMA + "inLanguage": {"zh": "语言", "en": "language"},
    _SCHEMA + "workPerformed": {"zh": "演出节目", "en": "work performed"},
    _SKOS + "prefLabel": {"zh": "首选名称", "en": "preferred label"},
    _SKOS + "altLabel": {"zh": "别称", "en": "other name"},
    _SKOS + "inScheme": {"zh": "所属词表", "en": "in scheme"},
    _SKOS + "broader": {"zh": "上位概念", "en": "broader"},
    _SKOS + "narrower": {"zh": "下位概念", "en": "narrower"},
    _SKOS + "exactMatch": {"zh": "完全对应", "en": "exact match"},
    _SKOS + "closeMatch": {"zh": "近似对应", "en": "close match"},
    _SKOS + "definition": {"zh": "定义", "en": "definition"},
    _SKOS + "notation": {"zh": "代码", "en": "notation"},
    _TIME + "hasTime": {"zh": "时间", "en": "time"},
    _TIME + "inXSDDate": {"zh": "日期", "en": "date"},
    _TIME + "hasBeginning": {"zh": "开始", "en": "begins"},
    _TIME + "hasEnd": {"zh": "结束", "en": "ends"},
    _OA + "exact": {"zh": "原文", "en": "exact text"},
    _OA + "start": {"zh": "起始位置", "en": "start offset"},
    _OA + "end": {"zh": "结束位置", "en": "end offset"},
    _ORG + "subOrganizationOf": {"zh": "上级组织", "en": "part of organisation"},
    _ORG + "member": {"zh": "成员", "en": "member"},
    _ORG + "organization": {"zh": "组织", "en": "organisation"},
    _ORG + "role": {"zh": "角色", "en": "role"},
}


def term_label(iri: str, language: str) -> str | None:
    """The display name of a reused term in ``language``, if the table has one."""
    return TERM_LABELS.get(iri, {}).get(language)
