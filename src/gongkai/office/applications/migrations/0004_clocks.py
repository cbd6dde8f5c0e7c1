"""The clocks of issue 11: 待确认 (第三十一条), the 补正 duty and consultation due dates cached on the
application, the day the applicant received the fee notice; open applications' caches recomputed.

``pending`` is a generated column: Django cannot alter its expression, so it is dropped and
added again with the new open state (its partial index with it).
"""

from django.db import migrations, models

OPEN = ("awaiting_confirmation", "running", "awaiting_correction", "consulting", "awaiting_fee")


def recompute_open(apps, schema_editor):
    """Recompute the deadline cache of open applications from their events, as ``services`` does."""
    from gongkai import deadlines
    from gongkai.errors import GongkaiError
    from gongkai.workdays import default_calendar

    Application = apps.get_model("applications", "Application")
    Event = apps.get_model("applications", "ApplicationEvent")
    kinds = {k.value for k in deadlines.EventKind}
    calendar = default_calendar()
    for app in Application.objects.filter(state__in=OPEN).iterator():
        ledger = []
        for e in Event.objects.filter(application_id=app.pk).order_by("day", "id"):
            if e.kind in kinds:
                d = e.data or {}
                ledger.append(
                    deadlines.Event(
                        e.kind,
                        e.day,
                        days=d.get("days"),
                        channel=d.get("channel"),
                        party=d.get("party"),
                        pending=bool(d.get("pending")),
                    )
                )
        try:
            result = deadlines.compute(ledger, calendar)
        except GongkaiError:
            continue  # left as it was; the next event written recomputes it (and says why it cannot)
        app.state = str(result.state)
        app.due_on = result.due
        app.provisional = result.provisional
        app.correction_due_on = result.correction_due if result.correction_open else None
        app.consultation_due_on = result.consultation_due
        app.save(update_fields=["state", "due_on", "provisional", "correction_due_on", "consultation_due_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_report_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="consultation_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="征求意见期限"),
        ),
        migrations.AddField(
            model_name="application",
            name="correction_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="补正告知期限"),
        ),
        migrations.AddField(
            model_name="fee",
            name="notice_received_on",
            field=models.DateField(blank=True, null=True, verbose_name="申请人收到收费通知日期"),
        ),
        migrations.AlterField(
            model_name="application",
            name="received_on",
            field=models.DateField(
                help_text="第三十一条规定的收到申请之日；待确认时为提交之日，确认后改为确认之日",
                verbose_name="收到日期",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="state",
            field=models.CharField(
                choices=[
                    ("awaiting_confirmation", "待确认收到"),
                    ("running", "办理中"),
                    ("awaiting_correction", "等待补正"),
                    ("consulting", "征求意见中"),
                    ("awaiting_fee", "等待缴费"),
                    ("replied", "已答复"),
                    ("withdrawn", "已撤回"),
                    ("abandoned", "视为放弃申请"),
                ],
                default="running",
                editable=False,
                max_length=24,
                verbose_name="办理状态",
            ),
        ),
        migrations.AlterField(
            model_name="applicationevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("received", "收到申请"),
                    ("receipt_confirmed", "确认收到申请"),
                    ("correction_requested", "告知补正"),
                    ("correction_received", "收到补正"),
                    ("consultation_started", "开始征求意见"),
                    ("consultation_ended", "征求意见结束"),
                    ("fee_notified", "发出收费通知"),
                    ("fee_notice_received", "申请人收到收费通知"),
                    ("fee_paid", "缴纳费用"),
                    ("extension_approved", "批准延期答复"),
                    ("replied", "作出答复"),
                    ("withdrawn", "申请人撤回申请"),
                    ("abandoned", "视为放弃申请"),
                    ("registered", "登记申请"),
                    ("outcome_set", "更正办理结果"),
                    ("edited", "修改登记信息"),
                ],
                max_length=32,
                verbose_name="事件",
            ),
        ),
        migrations.RemoveIndex(model_name="application", name="application_open_due"),
        migrations.RemoveField(model_name="application", name="pending"),
        migrations.AddField(
            model_name="application",
            name="pending",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Q(("state__in", OPEN)),
                output_field=models.BooleanField(),
                verbose_name="办理中",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(("pending", True)), fields=["agency", "due_on"], name="application_open_due"
            ),
        ),
        migrations.RunPython(recompute_open, migrations.RunPython.noop),
    ]
