// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RitualState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RitualState() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string roomStatus = "running";

		[global::Colyseus.Schema.Type(1, "uint32")]
		public uint tick = default(uint);

		[global::Colyseus.Schema.Type(2, "uint8")]
		public byte tickHz = 5;

		[global::Colyseus.Schema.Type(3, "string")]
		public string status = default(string);

		[global::Colyseus.Schema.Type(4, "string")]
		public string ritualId = default(string);

		[global::Colyseus.Schema.Type(5, "string")]
		public string ritualName = default(string);

		[global::Colyseus.Schema.Type(6, "string")]
		public string contentVersion = default(string);

		[global::Colyseus.Schema.Type(7, "array", typeof(global::Colyseus.Schema.ArraySchema<RitualStep>))]
		public global::Colyseus.Schema.ArraySchema<RitualStep> steps = new global::Colyseus.Schema.ArraySchema<RitualStep>();

		[global::Colyseus.Schema.Type(8, "uint8")]
		public byte stepIndex = default(byte);

		[global::Colyseus.Schema.Type(9, "string")]
		public string stepRite = default(string);

		[global::Colyseus.Schema.Type(10, "int8")]
		public sbyte stepSeat = -1;

		[global::Colyseus.Schema.Type(11, "string")]
		public string stepPlayerId = default(string);

		[global::Colyseus.Schema.Type(12, "uint16")]
		public ushort windowEarliest = default(ushort);

		[global::Colyseus.Schema.Type(13, "uint16")]
		public ushort windowLatest = default(ushort);

		[global::Colyseus.Schema.Type(14, "uint32")]
		public uint anchorTick = default(uint);

		[global::Colyseus.Schema.Type(15, "uint32")]
		public uint opensAtTick = default(uint);

		[global::Colyseus.Schema.Type(16, "uint32")]
		public uint closesAtTick = default(uint);

		[global::Colyseus.Schema.Type(17, "uint8")]
		public byte missteps = default(byte);

		[global::Colyseus.Schema.Type(18, "uint8")]
		public byte allowedMissteps = default(byte);

		[global::Colyseus.Schema.Type(19, "uint16")]
		public ushort points = default(ushort);

		[global::Colyseus.Schema.Type(20, "uint16")]
		public ushort score = default(ushort);

		[global::Colyseus.Schema.Type(21, "string")]
		public string outcome = default(string);

		[global::Colyseus.Schema.Type(22, "string")]
		public string endReason = default(string);

		[global::Colyseus.Schema.Type(23, "string")]
		public string omen = default(string);

		[global::Colyseus.Schema.Type(24, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> codexEntries = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(25, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> anointments = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(26, "map", typeof(global::Colyseus.Schema.MapSchema<RitualSeat>))]
		public global::Colyseus.Schema.MapSchema<RitualSeat> seats = new global::Colyseus.Schema.MapSchema<RitualSeat>();
	}
}
