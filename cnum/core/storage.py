"""Where media files (candidates' CVs, funding dossier pieces) are kept: an S3-compatible bucket
when AWS_STORAGE_BUCKET_NAME is set, local files under MEDIA_ROOT otherwise.

Both hold ciphertext only: the services encrypt before saving (cnum.core.encryption), so the
bucket's operator never sees a document in clear. The access keys are not settings: boto3 reads
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment itself (or an instance role).
Imported by the settings: no Django import here.
"""

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(environ):
    """The STORAGES["default"] entry for this environment."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return LOCAL
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "location": environ.get("AWS_LOCATION", ""),
        # Objects stay private (the bucket's policy); nothing is ever served from the bucket
        # directly: the views decrypt and answer themselves.
        "default_acl": None,
        "querystring_auth": True,
        # Same names never replace another file, as on the local disk.
        "file_overwrite": False,
    }
    if environ.get("AWS_S3_ADDRESSING_STYLE"):
        options["addressing_style"] = environ["AWS_S3_ADDRESSING_STYLE"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
