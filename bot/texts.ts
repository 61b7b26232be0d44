/**
 * Everything the bot says in its own words, in German and English. Facts never come from here:
 * they are the catalogue's (see knowledge/answers). Operators may adapt these texts to their city.
 */
import type { Language } from '../knowledge/analysis/language.js';

export const BOT_TEXTS = {
  de: {
    welcome:
      'Guten Tag! Ich bin Lotse, der digitale Assistent der Stadtverwaltung. Fragen Sie mich in Ihren eigenen Worten nach einer Dienstleistung, zum Beispiel „Was kostet ein Personalausweis?“ oder „Wo melde ich meinen Wohnsitz an?“. Ich antworte aus dem offiziellen Leistungskatalog und nenne immer die Quelle. Mit „Hilfe“ sehen Sie, was ich kann; „Mitarbeiter sprechen“ verbindet Sie mit einem Menschen.',
    help: 'So helfe ich Ihnen:\n\n- Fragen Sie nach einer Leistung, etwa „Reisepass beantragen“.\n- Fragen Sie nach, etwa „Was kostet das?“, „Welche Unterlagen brauche ich?“, „Wo ist das?“ oder „Kann ich das online machen?“.\n- „Neustart“ beginnt ein neues Gespräch.\n- „Mitarbeiter sprechen“ bringt Sie zu einem Menschen.\n\nYou can also write in English.',
    restarted: 'Alles klar, wir fangen neu an. Wie kann ich helfen?',
    noMatch:
      'Dazu habe ich im Leistungskatalog leider keine passende Leistung gefunden. Versuchen Sie es mit anderen Worten, zum Beispiel mit dem Namen des Dokuments oder Anliegens. Persönliche Auskunft erhalten Sie auch unter der Behördennummer 115.',
    closest: 'Vielleicht meinen Sie eine dieser Leistungen:',
    choose: 'Dazu passen mehrere Leistungen. Welche meinen Sie?',
    otherCandidates: 'Meinten Sie vielleicht eine andere Leistung?',
    source: 'Quelle',
    followUpHint:
      'Fragen Sie gern nach: Kosten, Unterlagen, Standorte, online erledigen oder Dauer.',
    feedbackPrompt: 'War das hilfreich?',
    feedbackUp: '👍 Hilfreich',
    feedbackDown: '👎 Nicht hilfreich',
    feedbackThanks: 'Danke für Ihre Rückmeldung!',
    feedbackSorry:
      'Danke für Ihre Rückmeldung. Sie können die Frage anders stellen oder mit einem Menschen sprechen.',
    handoffOffer:
      'Ich verstehe Ihr Anliegen leider nicht. Möchten Sie mit einem Menschen sprechen?',
    talkToHuman: 'Mitarbeiter sprechen',
    error: 'Entschuldigung, da ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal.',
    unsupported:
      'Ich kann bisher nur Textnachrichten verstehen. Bitte schreiben Sie mir Ihre Frage.',
    applyNow: 'Jetzt beantragen',
    consentAsk:
      'Darf ich Ihre Angaben (zum Beispiel Name, Adresse, IBAN) für Ihre nächsten Anträge speichern? Ich biete sie Ihnen dann an, statt erneut zu fragen. „Meine Daten“ zeigt sie, „Daten löschen“ löscht sie jederzeit.',
    consentYes: 'Ja, speichern',
    consentNo: 'Nein, danke',
    consentSaved: 'Gespeichert. Beim nächsten Antrag biete ich Ihnen diese Angaben an.',
    consentDeclined: 'In Ordnung, ich speichere nichts.',
    myDataEmpty: 'Ich habe keine Angaben von Ihnen gespeichert.',
    myDataIntro: 'Diese Angaben habe ich mit Ihrer Zustimmung gespeichert:',
    dataDeleted:
      'Ihre gespeicherten Angaben sind gelöscht. Auch dieses Gespräch und alles, was Lotse dazu gespeichert hat, wird jetzt gelöscht. Bereits abgeschickte Anträge liegen bei der zuständigen Stelle.',
    submitted: (receipt: string) =>
      `Vielen Dank! Ihr Antrag ist eingegangen. Ihre Vorgangsnummer lautet **${receipt}**. Bitte notieren Sie sie für Rückfragen. Sobald die Behörde den Antrag bestätigt, erhalten Sie hier eine Nachricht.`,
    relatedOffer: 'Das könnte als Nächstes für Sie wichtig sein:',
    flowExpired:
      'Ihr angefangener Antrag ist abgelaufen und wurde verworfen. Sie können ihn neu beginnen.',
    flowHelp:
      'Sie sind gerade in einem Antrag. Beantworten Sie die Frage, sagen Sie „zurück“, „überspringen“ (bei freiwilligen Angaben) oder „abbrechen“. Fragen zu Leistungen können Sie jederzeit stellen.',
    statusAccepted: (receipt: string) =>
      `Gute Nachricht: Ihr Antrag ${receipt} wurde von der Behörde angenommen.`,
    statusRejected: (receipt: string, reason: string) =>
      `Ihr Antrag ${receipt} konnte leider nicht angenommen werden: ${reason}`,
  },
  en: {
    welcome:
      "Hello! I'm Lotse, the city administration's digital assistant. Ask me about a public service in your own words, for example “How much is an ID card?” or “Where do I register my address?”. I answer from the official service catalogue and always name the source. Type “help” to see what I can do; “talk to a person” connects you with a human.",
    help: 'How I can help:\n\n- Ask about a service, e.g. “apply for a passport”.\n- Ask follow-up questions such as “What does it cost?”, “Which documents do I need?”, “Where is it?” or “Can I do it online?”.\n- “restart” starts a new conversation.\n- “talk to a person” brings you to a human.\n\nSie können auch auf Deutsch schreiben.',
    restarted: "All right, let's start again. How can I help?",
    noMatch:
      "Sorry, I couldn't find a matching service in the catalogue. Try other words, for example the name of the document or what you want to do. You can also call the public service number 115.",
    closest: 'Perhaps you mean one of these services:',
    choose: 'Several services match. Which one do you mean?',
    otherCandidates: 'Did you mean another service?',
    source: 'Source',
    followUpHint:
      'Feel free to ask about fees, documents, locations, doing it online, or how long it takes.',
    feedbackPrompt: 'Was this helpful?',
    feedbackUp: '👍 Helpful',
    feedbackDown: '👎 Not helpful',
    feedbackThanks: 'Thank you for your feedback!',
    feedbackSorry:
      'Thank you for your feedback. You can rephrase your question or talk to a person.',
    handoffOffer: "Sorry, I don't understand. Would you like to talk to a person?",
    talkToHuman: 'Talk to a person',
    error: 'Sorry, something went wrong. Please try again.',
    unsupported: 'For now I can only understand text messages. Please type your question.',
    applyNow: 'Apply now',
    consentAsk:
      'May I keep your details (for example name, address, IBAN) for your next applications? I will then offer them instead of asking again. “my data” shows them, “delete my data” deletes them at any time.',
    consentYes: 'Yes, keep them',
    consentNo: 'No, thanks',
    consentSaved: 'Saved. Next time I will offer you these details.',
    consentDeclined: 'All right, I will not keep anything.',
    myDataEmpty: 'I have not kept any of your details.',
    myDataIntro: 'I have kept these details with your consent:',
    dataDeleted:
      'Your saved details have been deleted. This conversation and everything Lotse kept about it is being deleted now. Applications you already submitted are with the responsible office.',
    submitted: (receipt: string) =>
      `Thank you! Your application has been received. Your reference number is **${receipt}**. Please keep it for any questions. You will get a message here as soon as the authority confirms it.`,
    relatedOffer: 'This might be what you need next:',
    flowExpired:
      'Your unfinished application has expired and was discarded. You can start it again.',
    flowHelp:
      'You are in the middle of an application. Answer the question, or say “back”, “skip” (for optional answers) or “cancel”. You can ask about services at any time.',
    statusAccepted: (receipt: string) =>
      `Good news: your application ${receipt} has been accepted by the authority.`,
    statusRejected: (receipt: string, reason: string) =>
      `Unfortunately your application ${receipt} could not be accepted: ${reason}`,
  },
} as const satisfies Record<Language, Record<string, string | ((...args: string[]) => string)>>;

export type BotTexts = (typeof BOT_TEXTS)[Language];
