from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField("New password (at least 12 characters)", validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two new passwords differ.")])


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app, or a recovery code",
                       validators=[DataRequired(message="Enter the code."), Length(max=40)])


class EnrolForm(FlaskForm):
    code = StringField("The 6-digit code the app shows now",
                       validators=[DataRequired(message="Enter the code the app shows."), Length(max=12)])


class AppCodeForm(FlaskForm):
    code = StringField("The code your authenticator app shows now",
                       validators=[DataRequired(message="Enter the code the app shows."), Length(max=12)])


class TurnOffForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=256)])
