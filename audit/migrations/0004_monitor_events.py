# Outside monitors: their access given and removed, and what they view (monitors app).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_signed_out_everywhere'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='event',
            field=models.CharField(choices=[('signed_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('locked_out', 'Locked out'), ('signed_out', 'Signed out'), ('signed_out_everywhere', 'Signed out everywhere by a manager'), ('mfa_enrolled', 'Second factor set up'), ('mfa_removed', 'Second factor removed'), ('mfa_reset', 'Second factor reset by a manager'), ('recovery_codes_generated', 'Recovery codes created'), ('password_set', 'Password set'), ('password_changed', 'Password changed'), ('password_reset_requested', 'Password reset link asked for'), ('password_reset', 'Password reset from an email link'), ('password_reset_by_manager', 'Temporary password given by a manager'), ('invitation_sent', 'Invitation sent'), ('invitation_accepted', 'Invitation accepted'), ('invitation_revoked', 'Invitation withdrawn'), ('person_added', 'Person added'), ('sign_in_settings_changed', 'Sign-in settings changed'), ('role_changed', 'Role changed'), ('email_changed', 'Email address changed'), ('person_deactivated', 'Person deactivated'), ('person_reactivated', 'Person reactivated'), ('report_downloaded', 'Report downloaded'), ('evidence_downloaded', 'Evidence downloaded'), ('exported', 'Data exported'), ('monitor_access_given', 'Outside monitor given access to a plan'), ('monitor_access_removed', "Outside monitor's access removed"), ('monitor_viewed', 'Outside monitor viewed')], max_length=40),
        ),
    ]
