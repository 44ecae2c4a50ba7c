"""The interface in Chinese and English: the strings of the pages, and which language a request gets.

The language is chosen by ``?lang=`` (remembered in a cookie), then that cookie, then ``Accept-Language``,
else :data:`DEFAULT_LANGUAGE`. :func:`translate` returns a string in the chosen language; a key missing in
one language falls back to English, then to the key itself, so a page never breaks on a missing string. A count
``n`` of exactly 1 uses the key's ``_one`` form where there is one ("1 triple", not "1 triples").
"""

from __future__ import annotations

from flask import has_request_context, request

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "skip_to_content": {"zh": "跳到正文", "en": "Skip to content"},
    "site_navigation": {"zh": "网站导航", "en": "Site navigation"},
    "home": {"zh": "首页", "en": "Home"},
    "ontology": {"zh": "本体", "en": "Ontology"},
    "shapes": {"zh": "数据形状", "en": "Shapes"},
    "dumps": {"zh": "下载", "en": "Downloads"},
    "sparql": {"zh": "SPARQL 查询", "en": "SPARQL query"},
    "dataset": {"zh": "数据集说明", "en": "Dataset description"},
    "language": {"zh": "语言", "en": "Language"},
    "types": {"zh": "类型", "en": "Type"},
    "properties": {"zh": "属性", "en": "Properties"},
    "property": {"zh": "属性", "en": "Property"},
    "value": {"zh": "值", "en": "Value"},
    "what_links_here": {"zh": "链接到此处的资源", "en": "What links here"},
    "nothing_links_here": {"zh": "没有资源链接到此处。", "en": "Nothing links here."},
    "more_links": {
        "zh": "共 {total} 条，此处显示 {shown} 条。其余的请用 SPARQL 查询",
        "en": "{total} in all, {shown} shown. The rest by SPARQL query",
    },
    "figures": {"zh": "数字", "en": "Figures"},
    "figure": {"zh": "数字", "en": "Figure"},
    "amount": {"zh": "数值", "en": "Amount"},
    "original_wording": {"zh": "原文", "en": "As written"},
    "qualifier": {"zh": "限定", "en": "Qualifier"},
    "relation": {"zh": "关系", "en": "Relation"},
    "source_sentence": {"zh": "原文句子", "en": "Source sentence"},
    "offsets": {"zh": "在原文中的位置：第 {start} 至 {end} 个字符", "en": "Characters {start} to {end} of the article"},
    "wording_offsets": {
        "zh": "原文措辞位于第 {start} 至 {end} 个字符",
        "en": "The wording is at characters {start} to {end}",
    },
    "wording_not_found": {"zh": "原文措辞未在句中找到。", "en": "The wording was not found in the sentence."},
    "in_article": {"zh": "出自", "en": "In"},
    "other_formats": {"zh": "其他格式", "en": "Other formats"},
    "canonical_iri": {"zh": "标识符", "en": "Identifier"},
    "documented_in": {"zh": "本体文档中的说明", "en": "Documented in the ontology"},
    "classes": {"zh": "类", "en": "Classes"},
    "other_terms": {"zh": "其他术语", "en": "Other terms"},
    "superclasses": {"zh": "上位类", "en": "Superclasses"},
    "subclasses": {"zh": "下位类", "en": "Subclasses"},
    "superproperties": {"zh": "上位属性", "en": "Superproperties"},
    "domain": {"zh": "定义域", "en": "Domain"},
    "range": {"zh": "值域", "en": "Range"},
    "usage": {"zh": "数据中的使用次数", "en": "Uses in the data"},
    "usage_instances": {"zh": "{n} 个实例", "en": "{n} instances"},
    "usage_triples": {"zh": "{n} 个三元组", "en": "{n} triples"},
    "usage_references": {"zh": "被引用 {n} 次", "en": "referred to {n} times"},
    "usage_instances_one": {"zh": "1 个实例", "en": "1 instance"},
    "usage_triples_one": {"zh": "1 个三元组", "en": "1 triple"},
    "usage_references_one": {"zh": "被引用 1 次", "en": "referred to once"},
    "applicable_shapes": {"zh": "适用的形状", "en": "Shapes that apply"},
    "target_class": {"zh": "目标类", "en": "Target class"},
    "property_constraints": {"zh": "属性约束", "en": "Property constraints"},
    "path": {"zh": "路径", "en": "Path"},
    "constraints": {"zh": "约束", "en": "Constraints"},
    "message": {"zh": "提示", "en": "Message"},
    "contents": {"zh": "内容", "en": "Contents"},
    "graph_subjects": {"zh": "此图中的资源", "en": "Resources in this graph"},
    "file": {"zh": "文件", "en": "File"},
    "size": {"zh": "大小", "en": "Size"},
    "checksum": {"zh": "SHA-256 校验和", "en": "SHA-256 checksum"},
    "date": {"zh": "日期", "en": "Date"},
    "media_type": {"zh": "媒体类型", "en": "Media type"},
    "dumps_intro": {
        "zh": "整个数据集的下载文件。校验和见 SHA256SUMS，数据集说明（VoID）见",
        "en": "The whole dataset as files. Checksums are in SHA256SUMS; the dataset description (VoID) is at",
    },
    "no_dumps": {"zh": "尚无下载文件：请先运行 publisher build。", "en": "No files yet: run publisher build first."},
    "version": {"zh": "版本", "en": "Version"},
    "licence": {"zh": "许可", "en": "Licence"},
    "footer_data": {"zh": "数据以关联开放数据发布。", "en": "Published as Linked Open Data."},
    "error": {"zh": "错误", "en": "Error"},
    "no_resource": {
        "zh": "本数据集中没有名为 {iri} 的资源。首页列出了所有内容：{home}",
        "en": "No resource named {iri} in this dataset. The home page lists what there is: {home}",
    },
}


def add_strings(strings: dict[str, dict[str, str]]) -> None:
    """Add a blueprint's own interface strings to :data:`STRINGS`; a key that already means something else
    is an error, so two pages cannot silently take each other's words."""
    for key, texts in strings.items():
        if STRINGS.get(key, texts) != texts:
            raise ValueError(f"The interface string {key!r} is defined twice, differently.")
        STRINGS[key] = texts


def choose_language() -> str:
    """The language of this request's page: ``?lang=``, then the cookie, then ``Accept-Language``."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def language_was_asked() -> str | None:
    """The language named by ``?lang=`` in this request, to remember in the cookie; ``None`` otherwise."""
    asked = request.args.get("lang", "") if has_request_context() else ""
    return asked if asked in LANGUAGES else None


def translate(key: str, language: str, **values: object) -> str:
    """The interface string ``key`` in ``language``, with ``{name}`` placeholders filled from ``values``."""
    if values.get("n") == 1 and f"{key}_one" in STRINGS:
        key = f"{key}_one"
    entry = STRINGS.get(key, {})
    text = entry.get(language) or entry.get("en") or key
    return text.format(**values) if values else text


def other_language(language: str) -> str:
    """The language the page is not in (its labels are shown second)."""
    return next(code for code in LANGUAGES if code != language)
