; helixphone.iss — Inno Setup installer for the folder build.sh makes
;
; SPDX-License-Identifier: GPL-3.0-or-later
;
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=...\_build-windows\dist\HelixPhone helixphone.iss
;
; Installs per user (no administrator rights) into
; %LOCALAPPDATA%\Programs\HelixPhone, adds a Start menu entry, and registers
; HelixPhone as a handler of sip: and tel: links for the current user
; (HKCU\Software\Classes).  Settings are not touched: they stay in
; %LOCALAPPDATA%\HelixPhone\settings.json across upgrades and uninstalls.

#ifndef AppVersion
  #error Pass /DAppVersion=<version> (build.sh writes it to _build-windows\version.txt)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\_build-windows\dist\HelixPhone"
#endif

[Setup]
AppId={{6F0C2B9E-5B7A-4C3E-9E2D-1A4B8C7D3F21}
AppName=HelixPhone
AppVersion={#AppVersion}
AppPublisher=HelixPhone
DefaultDirName={autopf}\HelixPhone
DefaultGroupName=HelixPhone
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=HelixPhone-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\bin\helixphone.exe
ChangesAssociations=yes
CloseApplications=yes

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\HelixPhone"; Filename: "{app}\bin\helixphone.exe"; WorkingDir: "{app}\bin"
Name: "{group}\Uninstall HelixPhone"; Filename: "{uninstallexe}"

[Tasks]
Name: "urlhandler"; Description: "Open sip: and tel: links with HelixPhone"; GroupDescription: "Links:"

[Registry]
; URL protocols: "helixphone.exe <link>" calls it, through the running
; instance when there is one.
Root: HKA; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: ""; ValueData: "URL:SIP Protocol"; Flags: uninsdeletekey; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\sip\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\bin\helixphone.exe"",0"; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\bin\helixphone.exe"" ""%1"""; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: ""; ValueData: "URL:Telephone Protocol"; Flags: uninsdeletekey; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\tel\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\bin\helixphone.exe"",0"; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\bin\helixphone.exe"" ""%1"""; Tasks: urlhandler
; Windows 10/11 "Default apps": HelixPhone offers itself for sip:/tel:; the
; user picks it there (Windows does not let installers take the choice).
Root: HKA; Subkey: "Software\Classes\HelixPhone.Link"; ValueType: string; ValueName: ""; ValueData: "HelixPhone link"; Flags: uninsdeletekey; Tasks: urlhandler
Root: HKA; Subkey: "Software\Classes\HelixPhone.Link\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\bin\helixphone.exe"" ""%1"""; Tasks: urlhandler
Root: HKA; Subkey: "Software\HelixPhone\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "HelixPhone"; Flags: uninsdeletekey; Tasks: urlhandler
Root: HKA; Subkey: "Software\HelixPhone\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Softphone for offices and call centres"; Tasks: urlhandler
Root: HKA; Subkey: "Software\HelixPhone\Capabilities\URLAssociations"; ValueType: string; ValueName: "sip"; ValueData: "HelixPhone.Link"; Tasks: urlhandler
Root: HKA; Subkey: "Software\HelixPhone\Capabilities\URLAssociations"; ValueType: string; ValueName: "tel"; ValueData: "HelixPhone.Link"; Tasks: urlhandler
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "HelixPhone"; ValueData: "Software\HelixPhone\Capabilities"; Flags: uninsdeletevalue; Tasks: urlhandler

[Run]
Filename: "{app}\bin\helixphone.exe"; Description: "Start HelixPhone"; Flags: nowait postinstall skipifsilent
