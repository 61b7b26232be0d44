/**
 * What the citizen reads about their request for a person, in German and English. Agents' own
 * messages are prefixed with their name so the citizen always knows a person is writing.
 */
export const HANDOFF_TEXTS = {
  de: {
    queued: (position: number) =>
      `Ich habe Sie an das Service-Team weitergeleitet. Sie sind an **Platz ${position}** der Warteschlange; eine Mitarbeiterin oder ein Mitarbeiter meldet sich hier im Chat. Bis dahin beantworte ich gern weiter Ihre Fragen.`,
    stillQueued: (position: number) =>
      `Sie sind bereits in der Warteschlange, an **Platz ${position}**. Eine Mitarbeiterin oder ein Mitarbeiter meldet sich hier im Chat.`,
    alreadyAssigned: 'Eine Mitarbeiterin oder ein Mitarbeiter ist bereits für Sie da.',
    noAgentOnline:
      'Gerade ist leider niemand vom Service-Team im Chat erreichbar. Persönliche Auskunft erhalten Sie unter der Behördennummer **115** (Mo–Fr 8–18 Uhr). Oder Sie hinterlassen Ihre Telefonnummer oder E-Mail-Adresse, dann melden wir uns bei Ihnen.',
    leaveContact: 'Kontaktdaten hinterlassen',
    call115: '115 anrufen',
    askContact: 'Unter welcher Telefonnummer oder E-Mail-Adresse dürfen wir Sie erreichen?',
    contactInvalid:
      'Das habe ich nicht als Telefonnummer oder E-Mail-Adresse erkannt, zum Beispiel „089 1234567“ oder „name@beispiel.de“. Bitte versuchen Sie es noch einmal.',
    contactSaved: (contact: string) =>
      `Danke. Wir melden uns unter ${contact}. Ihre Angabe nutzen wir nur für diesen Rückruf.`,
    contactGiveUp:
      'Ich konnte leider keine Kontaktdaten erkennen. Sie erreichen uns unter der Behördennummer 115.',
    contactTooLate:
      'Ihre Anfrage an das Service-Team ist inzwischen abgeschlossen, deshalb habe ich die Kontaktdaten nicht gespeichert. Sie erreichen uns unter der Behördennummer 115, oder schreiben Sie „Mitarbeiter sprechen“.',
    agentJoined: (name: string) =>
      `**${name}** vom Service-Team ist jetzt für Sie da und antwortet Ihnen hier persönlich.`,
    agentSays: (name: string) => `**${name} (Service-Team):**`,
    resolved: (name: string) =>
      `${name} hat das Gespräch beendet. Ab jetzt antworte wieder ich, Lotse, automatisch. Sie können jederzeit wieder nach einer Person fragen.`,
    rejected:
      'Ihre Anfrage an das Service-Team kann leider gerade nicht angenommen werden. Persönliche Auskunft erhalten Sie unter der Behördennummer 115. Ich beantworte gern weiter Ihre Fragen.',
    expiredPending:
      'Leider konnte sich niemand vom Service-Team rechtzeitig melden. Persönliche Auskunft erhalten Sie unter der Behördennummer 115. Ich beantworte gern weiter Ihre Fragen.',
    expiredAssigned:
      'Das Gespräch mit dem Service-Team wurde beendet, weil eine Weile niemand geschrieben hat. Ab jetzt antworte wieder ich, Lotse.',
  },
  en: {
    queued: (position: number) =>
      `I have passed you on to the service team. You are **number ${position}** in the queue; a member of staff will reply here in the chat. Until then I'm happy to keep answering your questions.`,
    stillQueued: (position: number) =>
      `You are already in the queue, at **number ${position}**. A member of staff will reply here in the chat.`,
    alreadyAssigned: 'A member of staff is already with you.',
    noAgentOnline:
      'Right now nobody from the service team is available in the chat. You can talk to a person on the public service number **115** (Mon–Fri 8am–6pm). Or leave your phone number or e-mail address and we will get back to you.',
    leaveContact: 'Leave contact details',
    call115: 'Call 115',
    askContact: 'Which phone number or e-mail address can we reach you at?',
    contactInvalid:
      "I didn't recognise that as a phone number or e-mail address, for example “089 1234567” or “name@example.org”. Please try again.",
    contactSaved: (contact: string) =>
      `Thank you. We will get back to you at ${contact}. We use it only for this call back.`,
    contactGiveUp:
      "Sorry, I couldn't recognise any contact details. You can reach us on the public service number 115.",
    contactTooLate:
      'Your request to the service team has been closed in the meantime, so I did not keep the contact details. You can reach us on the public service number 115, or write “talk to a person”.',
    agentJoined: (name: string) =>
      `**${name}** from the service team is with you now and will answer you here in person.`,
    agentSays: (name: string) => `**${name} (service team):**`,
    resolved: (name: string) =>
      `${name} has ended the conversation. From now on I, Lotse, answer automatically again. You can ask for a person at any time.`,
    rejected:
      'Sorry, your request to the service team cannot be taken right now. You can talk to a person on the public service number 115. I am happy to keep answering your questions.',
    expiredPending:
      'Sorry, nobody from the service team could reply in time. You can talk to a person on the public service number 115. I am happy to keep answering your questions.',
    expiredAssigned:
      'The conversation with the service team has ended because nobody wrote for a while. From now on I, Lotse, answer again.',
  },
} as const;

/** Why the console refused a handoff action (German, for staff), by error code. */
export const HANDOFF_ERROR_TEXTS = {
  LOTSE_HANDOFF_NOT_FOUND: 'Diese Anfrage gibt es nicht.',
  LOTSE_HANDOFF_TAKEN: 'Diese Anfrage hat bereits jemand übernommen.',
  LOTSE_HANDOFF_CLOSED: 'Diese Anfrage ist bereits abgeschlossen.',
  LOTSE_HANDOFF_FORBIDDEN: 'Dieses Gespräch führt eine andere Person.',
  LOTSE_HANDOFF_UNDELIVERABLE: (channel: string) =>
    `Nachrichten an diesen Kanal (${channel}) können nicht zugestellt werden.`,
  LOTSE_HANDOFF_INVALID: (max: number) => `Die Nachricht braucht 1 bis ${max} Zeichen.`,
} as const;
