import { describe, expect, it } from 'vitest'
import {
  BadEncodingError,
  MalformedJsonError,
  parseForm,
  parseFormLeniently,
  parseJsonObject,
} from '../src/index.ts'

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1')

describe('parseForm', () => {
  it('decodes +, percent escapes and multi-byte UTF-8 split over escapes', () => {
    expect({ ...parseForm(bytes('name=Ad%C3%A9+L&message=a%26b%3Dc')) }).toEqual({
      name: 'Adé L',
      message: 'a&b=c',
    })
  })

  it('decodes raw UTF-8 bytes and keeps the first of repeated names', () => {
    expect({ ...parseForm(Buffer.from('name=Zoë&name=x&flag', 'utf8')) }).toEqual({ name: 'Zoë', flag: '' })
  })

  it('treats __proto__ as an ordinary field', () => {
    const fields = parseForm(bytes('__proto__=x&name=y'))
    expect(Object.entries(fields)).toEqual([
      ['__proto__', 'x'],
      ['name', 'y'],
    ])
    expect(Object.getPrototypeOf(fields)).toBeNull()
  })

  it.each([
    ['a stray %', 'name=100%&message=x'],
    ['a short escape', 'name=%4&message=x'],
    ['a non-hex escape', 'name=%zz&message=x'],
    ['escaped invalid UTF-8', 'name=%C3%28&message=x'],
    ['an escaped lone surrogate', 'name=%ED%A0%80&message=x'],
    ['raw invalid UTF-8', 'name=\xff&message=x'],
  ])('refuses %s', (_, body) => {
    expect(() => parseForm(bytes(body))).toThrow(BadEncodingError)
  })

  it('decodes leniently for echoing input back', () => {
    expect({ ...parseFormLeniently(bytes('name=%C3%28&message=100%')) }).toEqual({
      name: '\uFFFD(',
      message: '100%',
    })
  })
})

describe('parseJsonObject', () => {
  it('parses a UTF-8 JSON object', () => {
    expect(parseJsonObject(Buffer.from('{"name":"Zoë"}'))).toEqual({ name: 'Zoë' })
  })

  it.each([['{"name":'], ['[1]'], ['null'], ['"x"'], ['\xff{}']])('refuses %j', (body) => {
    expect(() => parseJsonObject(bytes(body))).toThrow(MalformedJsonError)
  })
})
