from django.urls import path

from cnum.funding.views import documents, operator, reports, structure

app_name = "funding"

urlpatterns = [
    # Structure managers
    path("ma-structure/", structure.space, name="space"),
    path("ma-structure/<int:pk>/", structure.structure, name="structure"),
    path("ma-structure/<int:pk>/convention/", structure.convention_start, name="convention_start"),
    path(
        "ma-structure/<int:pk>/reconventionnement/", structure.renewal_start, name="renewal_start"
    ),
    path("ma-structure/<int:pk>/dossier/", structure.dossier_new, name="dossier_new"),
    path("ma-structure/<int:pk>/pieces/", structure.document_upload, name="document_upload"),
    path("ma-structure/<int:pk>/deposer/", structure.dossier_submit, name="dossier_submit"),
    path("ma-structure/<int:pk>/versements/", structure.payment_request, name="payment_request"),
    path("ma-structure/<int:pk>/kits/", structure.kit_request, name="kit_request"),
    path("structures/<int:pk>/convention.pdf", documents.convention_pdf, name="convention_pdf"),
    path(
        "versements/<int:request_pk>/avis.pdf",
        documents.payment_notice_pdf,
        name="payment_notice_pdf",
    ),
    path("pieces/<int:document_pk>/supprimer/", structure.document_delete, name="document_delete"),
    path("pieces/<int:document_pk>/", structure.document_download, name="document_download"),
    path("versements/<int:request_pk>/annuler/", structure.payment_cancel, name="payment_cancel"),
    path("kits/<int:kit_pk>/annuler/", structure.kit_cancel, name="kit_cancel"),
    path("kits/<int:kit_pk>/reception/", structure.kit_received, name="kit_received"),
    # Funding operator
    path("operateur/", operator.queue, name="queue"),
    path("operateur/dossiers/<int:pk>/", operator.dossier, name="dossier"),
    path("operateur/versements/<int:pk>/", operator.payment, name="payment"),
    path("operateur/versements/<int:pk>/paiement/", operator.payment_record, name="payment_record"),
    path("operateur/kits/<int:pk>/", operator.kit, name="kit"),
    path("operateur/kits/<int:pk>/livraison/", operator.kit_delivery, name="kit_delivery"),
    path("operateur/structures/<int:pk>/", operator.structure_ledger, name="structure_ledger"),
    path("operateur/structures/<int:pk>/reversement/", operator.recovery, name="recovery"),
    # National steering and administration
    path("pilotage/", reports.dashboard, name="dashboard"),
    path("pilotage/export/", reports.export, name="export"),
    path("pilotage/cout-par-conseiller/", reports.cost_report, name="cost_report"),
    path("pilotage/grille/", reports.grid, name="grid"),
    path("administration/enveloppes/", reports.envelopes, name="envelopes"),
    path("administration/kits/", reports.kit_types, name="kit_types"),
    path("administration/kits/<int:pk>/", reports.kit_type_edit, name="kit_type_edit"),
]
