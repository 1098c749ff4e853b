"""One contact as a vCard 3.0 file, for a phone's address book."""

from __future__ import annotations

from apps.contacts.models import Contact


def _escape(value: str) -> str:
    # RFC 6350 text escaping: backslash first, then the separators and newlines.
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def contact_vcard(contact: Contact) -> str:
    # The last word is taken as the family name: right for most, and FN keeps the whole name.
    given, _, family = contact.name.rpartition(" ")
    if not given:
        given, family = family, ""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_escape(contact.name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
    ]
    if contact.company:
        lines.append(f"ORG:{_escape(contact.company)}")
    if contact.job_title:
        lines.append(f"TITLE:{_escape(contact.job_title)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{contact.email}")
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK:{_escape(contact.phone)}")
    if contact.linkedin_url:
        lines.append(f"URL:{contact.linkedin_url}")
    note = f"{contact.get_kind_display()}. {contact.notes}".strip()
    lines.append(f"NOTE:{_escape(note)}")
    lines.append("END:VCARD")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
