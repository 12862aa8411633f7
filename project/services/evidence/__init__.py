"""Evidence: exhibits and their intake, the content-addressed store, inspection of uploads, integrity checks,
print renditions, redaction and the rectangles proposed for it, audio and video (played, transcribed, and a
video's key frames for the packet).

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.evidence.check import collect_garbage, verify_store
from project.services.evidence.custody import (
    custody_log,
    download_name,
    download_original,
    exhibit_of,
    exhibits_of,
    open_original,
    view_original,
    view_thumbnail,
)
from project.services.evidence.derived import DerivedFiles
from project.services.evidence.exhibits import CUSTODY_ACTIONS, EXTENSIONS, EvidenceSettings, ExhibitInput, add_exhibit
from project.services.evidence.inspection import ACCEPT_ATTRIBUTE, MB, inspect_file, sniff_media_type
from project.services.evidence.media import AUDIO_TYPES, MEDIA_KINDS, VIDEO_TYPES, MediaRules
from project.services.evidence.media_tools import KEY_FRAMES, MediaLimits, MediaToolFailed
from project.services.evidence.media_tools import OFF as FFMPEG_OFF
from project.services.evidence.ocr import (
    OcrSettings,
    index_exhibit_text,
    index_pending_texts,
    ocr_available,
    run_ocr_job,
    settle_ocr_job,
)
from project.services.evidence.pdf_active_content import find_active_content
from project.services.evidence.pdf_worker import PdfBeyondLimits, PdfLimits, PdfWorkerFailed, open_pdf, read_facts
from project.services.evidence.print_renditions import make_print_renditions, run_rendition_job, settle_rendition_job
from project.services.evidence.purge import (
    ExhibitPurged,
    FileRemoval,
    mark_purged,
    purged_note,
    refuse_if_purged,
    remove_purged_files,
)
from project.services.evidence.recordings import (
    PLAYING_WINDOW,
    TRANSCRIPT_MAX,
    play_recording,
    read_missing_durations,
    save_transcript,
    transcript_version,
)
from project.services.evidence.redaction.copies import (
    RedactedCopyTampered,
    RedactionInput,
    current_redaction,
    redact_exhibit,
    redacted_bytes,
    redacted_path,
    redactions_of,
    upright_size,
    view_redacted,
)
from project.services.evidence.redaction.regions import reason_problem, regions_from_json, regions_from_lines
from project.services.evidence.redaction.suggestion_runs import (
    WAITING as SUGGESTIONS_WAITING,
)
from project.services.evidence.redaction.suggestion_runs import (
    found as suggestions_found,
)
from project.services.evidence.redaction.suggestion_runs import (
    queue_depth as suggestions_queue_depth,
)
from project.services.evidence.redaction.suggestion_runs import (
    run_of as suggestion_run_of,
)
from project.services.evidence.redaction.suggestion_runs import (
    run_suggestion_job,
    settle_suggestion_job,
    start_suggestions,
)
from project.services.evidence.redaction.suggestions import (
    Detector,
    Proposal,
    SuggestionInput,
    Suggestions,
    detectors,
    face_proposals,
    suggest_regions,
    text_proposals,
)
from project.services.evidence.release import (
    DECISION_CHOICES,
    NOT_REVIEWED,
    STATE_LABELS,
    WITHDRAWN,
    ReleaseState,
    decision_choices,
    release_reviews_of,
    release_state,
    release_states,
    review_for_release,
    withdraw_exhibit,
)
from project.services.evidence.renditions import (
    RENDITION_VERSION,
    frame_path,
    image_rendition,
    pdf_renditions,
    rendition_path,
    video_frames,
)
from project.services.evidence.store import SHA256_HEX, EvidenceStore, EvidenceTampered, sha256_of, write_atomically

__all__ = [
    "ExhibitPurged",
    "FileRemoval",
    "mark_purged",
    "purged_note",
    "refuse_if_purged",
    "remove_purged_files",
    "AUDIO_TYPES",
    "FFMPEG_OFF",
    "KEY_FRAMES",
    "MEDIA_KINDS",
    "MediaLimits",
    "MediaRules",
    "MediaToolFailed",
    "PLAYING_WINDOW",
    "TRANSCRIPT_MAX",
    "VIDEO_TYPES",
    "frame_path",
    "play_recording",
    "read_missing_durations",
    "save_transcript",
    "transcript_version",
    "video_frames",
    "ACCEPT_ATTRIBUTE",
    "CUSTODY_ACTIONS",
    "EXTENSIONS",
    "DECISION_CHOICES",
    "decision_choices",
    "NOT_REVIEWED",
    "OcrSettings",
    "ReleaseState",
    "STATE_LABELS",
    "WITHDRAWN",
    "Detector",
    "DerivedFiles",
    "EvidenceSettings",
    "EvidenceStore",
    "EvidenceTampered",
    "ExhibitInput",
    "MB",
    "sniff_media_type",
    "Proposal",
    "RENDITION_VERSION",
    "RedactedCopyTampered",
    "RedactionInput",
    "SHA256_HEX",
    "SuggestionInput",
    "Suggestions",
    "add_exhibit",
    "collect_garbage",
    "current_redaction",
    "index_exhibit_text",
    "index_pending_texts",
    "ocr_available",
    "run_ocr_job",
    "run_rendition_job",
    "SUGGESTIONS_WAITING",
    "suggestions_found",
    "suggestions_queue_depth",
    "suggestion_run_of",
    "run_suggestion_job",
    "settle_suggestion_job",
    "start_suggestions",
    "make_print_renditions",
    "settle_rendition_job",
    "settle_ocr_job",
    "custody_log",
    "detectors",
    "download_name",
    "download_original",
    "exhibit_of",
    "exhibits_of",
    "face_proposals",
    "image_rendition",
    "open_original",
    "pdf_renditions",
    "PdfBeyondLimits",
    "PdfLimits",
    "open_pdf",
    "find_active_content",
    "inspect_file",
    "read_facts",
    "PdfWorkerFailed",
    "reason_problem",
    "release_reviews_of",
    "release_state",
    "release_states",
    "review_for_release",
    "redact_exhibit",
    "redacted_bytes",
    "redacted_path",
    "redactions_of",
    "regions_from_json",
    "regions_from_lines",
    "rendition_path",
    "sha256_of",
    "suggest_regions",
    "text_proposals",
    "upright_size",
    "verify_store",
    "view_original",
    "view_redacted",
    "view_thumbnail",
    "withdraw_exhibit",
    "write_atomically",
]
