// test/orm/tutorial_models.hpp — models whose foreign keys have NO ON DELETE (SQLAlchemy's
// tutorial set-up), so that the ORM alone must order a cascade delete; and a Chinook-like
// many-to-many (playlists / tracks) for the loaders. Apart from models.hpp, whose tables all
// use ON DELETE CASCADE, and so that only the tests that use these compile them.
#pragma once

#include <athanor/athanor.hpp>

namespace tutorial {
namespace orm = athanor::orm;
using orm::Mapped;

struct Note;
struct Mark;
struct Label;
struct NoteLabel;
struct Passport;
struct Pet;
struct Chore;
struct Club;
struct Membership;
struct Folder;
struct Diary;
struct Page;

struct Person {
  Mapped<int> id;
  Mapped<std::string> name;
  orm::Many<Note> notes;        // delete cascade, recursively to marks and note_labels
  orm::One<Passport> passport;  // one-to-one, delete cascade
  orm::Many<Pet> pets;          // save-update only; pets.person_id is nullable: set to NULL
  orm::Many<Chore> chores;      // save-update only; chores.person_id is NOT NULL
  orm::Many<Club> clubs;        // many-to-many through memberships
  orm::Many<Folder> folders;    // delete cascade; folders form trees
  orm::Many<Diary> diaries;     // delete cascade with passive_deletes: ON DELETE CASCADE in the schema
  static void configure(orm::Mapper<Person>& m) {
    m.column<&Person::id>().primary_key();
    m.column<&Person::name>().length(40);
    m.relationship<&Person::notes>().back_populates("author").cascade("all, delete-orphan");
    m.relationship<&Person::passport>().back_populates("holder").cascade("all, delete-orphan");
    m.relationship<&Person::clubs>().secondary<Membership>().back_populates("members");
    m.relationship<&Person::folders>().cascade("all");
    m.relationship<&Person::diaries>().cascade("all, delete-orphan").passive_deletes();
  }
};
struct Note {
  Mapped<int> id;
  Mapped<int> person_id;
  Mapped<std::string> text;
  orm::One<Person> author;
  orm::Many<Mark> marks;
  orm::Many<Label> labels;
  static void configure(orm::Mapper<Note>& m) {
    m.column<&Note::id>().primary_key();
    m.column<&Note::person_id>().foreign_key("people.id");
    m.column<&Note::text>().length(40);
    m.relationship<&Note::marks>().cascade("all, delete-orphan");
    m.relationship<&Note::labels>().secondary<NoteLabel>().back_populates("notes");
  }
};
struct Mark {
  Mapped<int> id;
  Mapped<int> note_id;
  static void configure(orm::Mapper<Mark>& m) {
    m.column<&Mark::id>().primary_key();
    m.column<&Mark::note_id>().foreign_key("notes.id");
  }
};
struct Label {
  Mapped<int> id;
  Mapped<std::string> text;
  orm::Many<Note> notes;
  static void configure(orm::Mapper<Label>& m) {
    m.column<&Label::id>().primary_key();
    m.column<&Label::text>().length(40);
    m.relationship<&Label::notes>().secondary<NoteLabel>();
  }
};
struct NoteLabel {
  Mapped<int> note_id;
  Mapped<int> label_id;
  static void configure(orm::Mapper<NoteLabel>& m) {
    m.column<&NoteLabel::note_id>().primary_key().foreign_key("notes.id");
    m.column<&NoteLabel::label_id>().primary_key().foreign_key("labels.id");
  }
};
struct Passport {
  Mapped<int> id;
  Mapped<int> person_id;
  orm::One<Person> holder;
  static void configure(orm::Mapper<Passport>& m) {
    m.column<&Passport::id>().primary_key();
    m.column<&Passport::person_id>().foreign_key("people.id").unique();
  }
};
struct Pet {
  Mapped<int> id;
  Mapped<std::optional<int>> person_id;
  static void configure(orm::Mapper<Pet>& m) {
    m.column<&Pet::id>().primary_key();
    m.column<&Pet::person_id>().foreign_key("people.id");
  }
};
struct Chore {
  Mapped<int> id;
  Mapped<int> person_id;
  static void configure(orm::Mapper<Chore>& m) {
    m.column<&Chore::id>().primary_key();
    m.column<&Chore::person_id>().foreign_key("people.id");
  }
};
struct Club {
  Mapped<int> id;
  Mapped<std::string> name;
  orm::Many<Person> members;
  static void configure(orm::Mapper<Club>& m) {
    m.column<&Club::id>().primary_key();
    m.column<&Club::name>().length(40);
    m.relationship<&Club::members>().secondary<Membership>();
  }
};
struct Membership {
  Mapped<int> person_id;
  Mapped<int> club_id;
  static void configure(orm::Mapper<Membership>& m) {
    m.column<&Membership::person_id>().primary_key().foreign_key("people.id");
    m.column<&Membership::club_id>().primary_key().foreign_key("clubs.id");
  }
};
/// Self-referential without ON DELETE: a subtree's rows must go leaves first.
struct Folder {
  Mapped<int> id;
  Mapped<int> person_id;
  Mapped<std::optional<int>> parent_id;
  orm::One<Folder> parent;
  orm::Many<Folder> children;
  static void configure(orm::Mapper<Folder>& m) {
    m.column<&Folder::id>().primary_key();
    m.column<&Folder::person_id>().foreign_key("people.id");
    m.column<&Folder::parent_id>().foreign_key("folders.id");
    m.relationship<&Folder::children>().back_populates("parent").cascade("all");
  }
};
struct Diary {
  Mapped<int> id;
  Mapped<int> person_id;
  orm::Many<Page> pages;
  static void configure(orm::Mapper<Diary>& m) {
    m.column<&Diary::id>().primary_key();
    m.column<&Diary::person_id>().foreign_key("people.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
    m.relationship<&Diary::pages>().cascade("all").passive_deletes();
  }
};
struct Page {
  Mapped<int> id;
  Mapped<int> diary_id;
  static void configure(orm::Mapper<Page>& m) {
    m.column<&Page::id>().primary_key();
    m.column<&Page::diary_id>().foreign_key("diaries.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
  }
};

ATHANOR_MODEL(Person, "people", id, name, notes, passport, pets, chores, clubs, folders, diaries)
ATHANOR_MODEL(Note, "notes", id, person_id, text, author, marks, labels)
ATHANOR_MODEL(Mark, "marks", id, note_id)
ATHANOR_MODEL(Label, "labels", id, text, notes)
ATHANOR_MODEL(NoteLabel, "note_labels", note_id, label_id)
ATHANOR_MODEL(Passport, "passports", id, person_id, holder)
ATHANOR_MODEL(Pet, "pets", id, person_id)
ATHANOR_MODEL(Chore, "chores", id, person_id)
ATHANOR_MODEL(Club, "clubs", id, name, members)
ATHANOR_MODEL(Membership, "memberships", person_id, club_id)
ATHANOR_MODEL(Folder, "folders", id, person_id, parent_id, parent, children)
ATHANOR_MODEL(Diary, "diaries", id, person_id, pages)
ATHANOR_MODEL(Page, "diary_pages", id, diary_id)

// Chinook's classic many-to-many (Playlist / PlaylistTrack / Track) and one-to-many (Album / Track).
struct Track;
struct PlaylistTrack;
struct Album {
  Mapped<int> album_id;
  Mapped<std::string> title;
  orm::Many<Track> tracks;
  static void configure(orm::Mapper<Album>& m) {
    m.column<&Album::album_id>().primary_key();
    m.column<&Album::title>().length(60);
  }
};
struct Track {
  Mapped<int> track_id;
  Mapped<std::optional<int>> album_id;
  Mapped<std::string> name;
  static void configure(orm::Mapper<Track>& m) {
    m.column<&Track::track_id>().primary_key();
    m.column<&Track::album_id>().foreign_key("album.album_id");
    m.column<&Track::name>().length(60);
  }
};
struct Playlist {
  Mapped<int> playlist_id;
  Mapped<std::string> name;
  orm::Many<Track> tracks;
  static void configure(orm::Mapper<Playlist>& m) {
    m.column<&Playlist::playlist_id>().primary_key();
    m.column<&Playlist::name>().length(60);
    m.relationship<&Playlist::tracks>().secondary<PlaylistTrack>();
  }
};
struct PlaylistTrack {
  Mapped<int> playlist_id;
  Mapped<int> track_id;
  static void configure(orm::Mapper<PlaylistTrack>& m) {
    m.column<&PlaylistTrack::playlist_id>().primary_key().foreign_key("playlist.playlist_id");
    m.column<&PlaylistTrack::track_id>().primary_key().foreign_key("track.track_id");
  }
};
ATHANOR_MODEL(Album, "album", album_id, title, tracks)
ATHANOR_MODEL(Track, "track", track_id, album_id, name)
ATHANOR_MODEL(Playlist, "playlist", playlist_id, name, tracks)
ATHANOR_MODEL(PlaylistTrack, "playlist_track", playlist_id, track_id)
}  // namespace tutorial
