#!/usr/bin/env python3
"""Holds statements of reasons to the DSA Transparency Database API's rules (the 2025 schema):
required fields, enumerations, conditional fields, length limits, the puid pattern, category
keywords, dates, and at most 100 statements per batch. Reads JSON lines, each
{"statements": [...]} (one submission), from the files given or standard input; prints each
problem and exits 1 when there is any. Written from the database's documentation, apart from
jaga's own code, so that it can disagree with it."""
import json
import re
import sys

VISIBILITY = {"DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
              "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
              "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
              "DECISION_VISIBILITY_CONTENT_LABELLED", "DECISION_VISIBILITY_OTHER"}
MONETARY = {"DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION",
            "DECISION_MONETARY_OTHER"}
PROVISION = {"DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
             "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION"}
ACCOUNT = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"}
GROUND = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
CONTENT_TYPE = {"CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE",
                "CONTENT_TYPE_PRODUCT", "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT",
                "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER"}
SOURCE = {"SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_AUTOMATED_DETECTION",
          "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY"}
AUTOMATED_DECISION = {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
                      "AUTOMATED_DECISION_NOT_AUTOMATED"}
EEA = set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE "
          "SI SK".split())
OTHER = "KEYWORD_OTHER"
# Each category with the keywords that specify it.
CATEGORIES = {
    "ANIMAL_WELFARE": ["ANIMAL_HARM", "UNLAWFUL_SALE_ANIMALS"],
    "CONSUMER_INFORMATION": ["HIDDEN_ADVERTISEMENT", "INSUFFICIENT_INFORMATION_ON_TRADERS",
                             "MISLEADING_INFO_GOODS_SERVICES", "MISLEADING_INFO_CONSUMER_RIGHTS",
                             "NONCOMPLIANCE_PRICING"],
    "CYBER_VIOLENCE": ["CYBER_BULLYING_INTIMIDATION", "CYBER_HARASSMENT", "CYBER_INCITEMENT",
                       "CYBER_STALKING", "NON_CONSENSUAL_IMAGE_SHARING",
                       "NON_CONSENSUAL_MATERIAL_DEEPFAKE"],
    "CYBER_VIOLENCE_AGAINST_WOMEN": ["BULLYING_AGAINST_GIRLS", "CYBER_HARASSMENT_AGAINST_WOMEN",
                                     "CYBER_STALKING_AGAINST_WOMEN",
                                     "FEMALE_GENDERED_DISINFORMATION", "INCITEMENT_AGAINST_WOMEN",
                                     "NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
                                     "NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN"],
    "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": ["BIOMETRIC_DATA_BREACH", "DATA_FALSIFICATION",
                                               "MISSING_PROCESSING_GROUND",
                                               "RIGHT_TO_BE_FORGOTTEN"],
    "ILLEGAL_OR_HARMFUL_SPEECH": ["DEFAMATION", "DISCRIMINATION", "HATE_SPEECH"],
    "INTELLECTUAL_PROPERTY_INFRINGEMENTS": ["COPYRIGHT_INFRINGEMENT", "DESIGN_INFRINGEMENT",
                                            "GEOGRAPHIC_INDICATIONS_INFRINGEMENT",
                                            "PATENT_INFRINGEMENT", "TRADE_SECRET_INFRINGEMENT",
                                            "TRADEMARK_INFRINGEMENT"],
    "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": ["MISINFORMATION_DISINFORMATION",
                                                         "VIOLATION_EU_LAW",
                                                         "VIOLATION_NATIONAL_LAW"],
    "PROTECTION_OF_MINORS": ["AGE_SPECIFIC_RESTRICTIONS_MINORS", "CHILD_SEXUAL_ABUSE_MATERIAL",
                             "CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE",
                             "GROOMING_SEXUAL_ENTICEMENT_MINORS", "UNSAFE_CHALLENGES"],
    "RISK_FOR_PUBLIC_SECURITY": ["ILLEGAL_ORGANIZATIONS", "RISK_ENVIRONMENTAL_DAMAGE",
                                 "RISK_PUBLIC_HEALTH", "TERRORIST_CONTENT"],
    "SCAMS_AND_FRAUD": ["IMPERSONATION_ACCOUNT_HIJACKING", "INAUTHENTIC_ACCOUNTS",
                        "INAUTHENTIC_LISTINGS", "INAUTHENTIC_USER_REVIEWS", "PHISHING",
                        "PYRAMID_SCHEMES"],
    "SELF_HARM": ["CONTENT_PROMOTING_EATING_DISORDERS", "SELF_MUTILATION", "SUICIDE"],
    "UNSAFE_AND_PROHIBITED_PRODUCTS": ["PROHIBITED_PRODUCTS", "UNSAFE_PRODUCTS"],
    "VIOLENCE": ["COORDINATED_HARM", "INCITEMENT_VIOLENCE_HATRED", "HUMAN_EXPLOITATION",
                 "HUMAN_TRAFFICKING", "TRAFFICKING_WOMEN_GIRLS"],
    "OTHER_VIOLATION_TC": ["ADULT_SEXUAL_MATERIAL", "AGE_SPECIFIC_RESTRICTIONS",
                           "GEOGRAPHICAL_REQUIREMENTS", "GOODS_SERVICES_NOT_PERMITTED",
                           "LANGUAGE_REQUIREMENTS", "NUDITY"],
    "NOT_SPECIFIED_NOTICE": [],
}
KNOWN = {"decision_visibility", "decision_visibility_other", "end_date_visibility_restriction",
         "decision_monetary", "decision_monetary_other", "end_date_monetary_restriction",
         "decision_provision", "end_date_service_restriction", "decision_account",
         "end_date_account_restriction", "account_type", "decision_ground",
         "decision_ground_reference_url", "illegal_content_legal_ground",
         "illegal_content_explanation", "incompatible_content_ground",
         "incompatible_content_explanation", "incompatible_content_illegal", "content_type",
         "content_type_other", "category", "category_addition", "category_specification",
         "category_specification_other", "content_language", "content_date",
         "application_date", "decision_facts", "source_type", "source_identity",
         "automated_detection", "automated_decision", "territorial_scope", "puid", "content_id"}
PUID = re.compile(r"^[a-zA-Z0-9_-]+$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def text(s, key, limit, problems, required=True):
    v = s.get(key)
    if v is None:
        if required:
            problems.append("%s is required" % key)
        return
    if not isinstance(v, str) or not v.strip():
        problems.append("%s must be a non-empty string" % key)
    elif len(v) > limit:
        problems.append("%s is over %d characters" % (key, limit))


def one_of(s, key, allowed, problems, required=True):
    v = s.get(key)
    if v is None:
        if required:
            problems.append("%s is required" % key)
    elif v not in allowed:
        problems.append("%s: %r is not one of its values" % (key, v))


def list_of(s, key, allowed, problems, required=False):
    v = s.get(key)
    if v is None:
        if required:
            problems.append("%s is required" % key)
        return []
    if not isinstance(v, list) or not v:
        problems.append("%s must be a non-empty array" % key)
        return []
    for x in v:
        if x not in allowed:
            problems.append("%s: %r is not one of its values" % (key, x))
    if len(set(map(str, v))) != len(v):
        problems.append("%s repeats a value" % key)
    return v


def date(s, key, problems, required=True, earliest="2000-01-01"):
    v = s.get(key)
    if v is None:
        if required:
            problems.append("%s is required" % key)
        return None
    m = DATE.match(v) if isinstance(v, str) else None
    if not m or not (1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31):
        problems.append("%s must be YYYY-MM-DD" % key)
        return None
    if v < earliest:
        problems.append("%s is before %s" % (key, earliest))
    return v


def statement_problems(s):
    p = []
    if not isinstance(s, dict):
        return ["a statement must be an object"]
    for key in s:
        if key not in KNOWN:
            p.append("%s is not a field of the database" % key)
    vis = list_of(s, "decision_visibility", VISIBILITY, p)
    list_of(s, "decision_monetary", MONETARY, p)
    list_of(s, "decision_provision", PROVISION, p)
    list_of(s, "decision_account", ACCOUNT, p)
    if not any(k in s for k in ("decision_visibility", "decision_monetary", "decision_provision",
                                "decision_account")):
        p.append("one of decision_visibility, _monetary, _provision or _account is required")
    if "DECISION_VISIBILITY_OTHER" in vis:
        text(s, "decision_visibility_other", 500, p)
    elif "decision_visibility_other" in s:
        p.append("decision_visibility_other without DECISION_VISIBILITY_OTHER")
    one_of(s, "decision_ground", GROUND, p)
    if s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        text(s, "illegal_content_legal_ground", 500, p)
        text(s, "illegal_content_explanation", 2000, p)
    if s.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        text(s, "incompatible_content_ground", 500, p)
        text(s, "incompatible_content_explanation", 2000, p)
        one_of(s, "incompatible_content_illegal", {"Yes", "No"}, p, required=False)
    types = list_of(s, "content_type", CONTENT_TYPE, p, required=True)
    if "CONTENT_TYPE_OTHER" in types:
        text(s, "content_type_other", 500, p)
    category = s.get("category")
    name = category[len("STATEMENT_CATEGORY_"):] if isinstance(category, str) and \
        category.startswith("STATEMENT_CATEGORY_") else None
    if category is None:
        p.append("category is required")
    elif name not in CATEGORIES:
        p.append("category: %r is not one of its values" % category)
    allowed = {"KEYWORD_" + k for k in CATEGORIES.get(name, [])} | {OTHER}
    spec = list_of(s, "category_specification", allowed, p)
    if OTHER in spec:
        text(s, "category_specification_other", 500, p)
    list_of(s, "territorial_scope", EEA, p, required=True)
    lang = s.get("content_language")
    if lang is not None and not re.match(r"^[A-Z]{2}$", str(lang)):
        p.append("content_language must be an ISO 639-1 code in capitals")
    content = date(s, "content_date", p)
    applied = date(s, "application_date", p, earliest="2020-01-01")
    if content and applied and applied < content:
        p.append("application_date is before content_date")
    text(s, "decision_facts", 5000, p)
    one_of(s, "source_type", SOURCE, p)
    if s.get("source_type") == "SOURCE_VOLUNTARY" and "source_identity" in s:
        p.append("source_identity is for notices, not voluntary action")
    text(s, "source_identity", 500, p, required=False)
    one_of(s, "automated_detection", {"Yes", "No"}, p)
    one_of(s, "automated_decision", AUTOMATED_DECISION, p)
    if s.get("automated_decision") == "AUTOMATED_DECISION_FULLY" and \
            s.get("automated_detection") != "Yes":
        p.append("a fully automated decision needs automated detection")
    puid = s.get("puid")
    if not isinstance(puid, str) or not PUID.match(puid) or len(puid) > 500:
        p.append("puid must be 1 to 500 of a-z, A-Z, 0-9, '-' and '_'")
    return p


def main():
    problems, statements, puids = [], 0, set()
    files = sys.argv[1:] or ["-"]
    for name in files:
        f = sys.stdin if name == "-" else open(name)
        for n, line in enumerate(f, 1):
            try:
                batch = json.loads(line)
            except ValueError as e:
                problems.append("line %d: not JSON (%s)" % (n, e))
                continue
            items = batch.get("statements") if isinstance(batch, dict) else None
            if not isinstance(items, list) or not 1 <= len(items) <= 100:
                problems.append("line %d: a batch is {\"statements\": [1 to 100]}" % n)
                continue
            for i, s in enumerate(items):
                statements += 1
                for problem in statement_problems(s):
                    problems.append("line %d, statement %d: %s" % (n, i, problem))
                puid = s.get("puid") if isinstance(s, dict) else None
                if puid in puids:
                    problems.append("line %d, statement %d: puid %s repeated" % (n, i, puid))
                puids.add(puid)
    for problem in problems:
        print(problem)
    print("%d statements, %d problems" % (statements, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
