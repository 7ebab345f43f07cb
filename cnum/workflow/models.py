from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TransitionLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        return self.filter(content_type=content_type, object_id=obj.pk)


class TransitionLog(models.Model):
    """One status change of any workflow-driven object: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=50, default="status")
    from_status = models.CharField("de", max_length=50)
    to_status = models.CharField("vers", max_length=50)
    # Null only for transitions made by the platform itself (scheduled tasks).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    comment = models.TextField("motif", blank=True)
    at = models.DateTimeField("le", auto_now_add=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = "transition"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="transition_subject")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The move in French, as its machine declares it (never the raw codes)."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        workflow = getattr(model, "workflow", None)
        if workflow is None:
            return f"{self.from_status} → {self.to_status}"
        return workflow.label(model, self.from_status, self.to_status)
