from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from project.web.forms_common import Form


class SignInForm(Form):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=256)])
    next = HiddenField()


class PasswordChangeForm(Form):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password."), Length(max=256)]
    )
    new_password = PasswordField(
        "New password (at least 12 characters)",
        validators=[DataRequired("Choose a new password."), Length(max=256)],
    )
    confirm = PasswordField(
        "New password again",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("new_password", message="The two new passwords differ; type them again."),
        ],
    )


class CodeForm(Form):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired(message="Enter the code."), Length(max=40)],
    )


class EnrolForm(Form):
    code = StringField(
        "The 6-digit code the app shows now",
        validators=[DataRequired(message="Enter the code the app shows."), Length(max=12)],
    )


class AppCodeForm(Form):
    code = StringField(
        "The code your authenticator app shows now",
        validators=[DataRequired(message="Enter the code the app shows."), Length(max=12)],
    )


class TurnOffForm(Form):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password."), Length(max=256)])
